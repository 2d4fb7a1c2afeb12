import replicate

output = replicate.run("owner/model", {"prompt": "hi"})

def broken(:
    pass
