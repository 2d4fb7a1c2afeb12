import replicate as r

for prompt in ["a", "b"]:
    print(r.run("owner/model", {"prompt": prompt}))
