from replicate import Client


class Chat:
    def __init__(self, token):
        self.client = Client(token, headers={"X-App": "chat"})

    def reply(self, prompt):
        # a model reference in a variable: reported, not fixed
        for event in self.client.stream(self.model, input={"prompt": prompt}):
            yield str(event)
