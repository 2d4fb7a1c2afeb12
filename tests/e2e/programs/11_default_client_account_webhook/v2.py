# v2 rewrite. Rows: M01/C03 (replicate.Client() -> replicate.Replicate(), token from env), C11/A01 (client.accounts.current() -> client.account.get()),
# A03 (account fields: unchanged), W01 (webhooks.default.secret() -> webhooks.default.secret.get()).
import replicate


def whoami(client):
    account = client.account.get()
    return account.type, account.username, account.name, account.github_url


def webhook_key(client):
    secret = client.webhooks.default.secret.get()
    return secret.key


if __name__ == "__main__":
    client = replicate.Replicate()
    print("@@ account", *whoami(client))
    key = webhook_key(client)
    print("@@ secret", key.startswith("whsec_"), len(key))
