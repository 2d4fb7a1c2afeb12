from replicate import Client


class Chat:
    def __init__(self, token):
        self.client = Client(token, headers={"X-App": "chat"})

    def reply(self, prompt):
        # v2's stream() yields output chunks, not server-sent events: reported, not fixed
        for event in self.client.stream("owner/llm", input={"prompt": prompt}):
            yield str(event)
