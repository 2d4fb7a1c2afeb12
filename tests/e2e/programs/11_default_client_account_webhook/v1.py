# Exercises: replicate.Client() with no arguments (token from env), client.accounts.current(), client.webhooks.default.secret().
import replicate


def whoami(client):
    account = client.accounts.current()
    return account.type, account.username, account.name, account.github_url


def webhook_key(client):
    secret = client.webhooks.default.secret()
    return secret.key


if __name__ == "__main__":
    client = replicate.Client()
    print("@@ account", *whoami(client))
    key = webhook_key(client)
    print("@@ secret", key.startswith("whsec_"), len(key))
