#!/usr/bin/env python3
"""Generates the dense benchmark tree: realistic Python, most of it using the Replicate SDK v1.

Deterministic: the same arguments give the same bytes (Python's `random.Random(seed)` is stable
across versions for the calls used here). Standard library only.

    python3 bench/gen_dense.py --files 5000 --seed 13 OUT_DIR     # the dense tree (~520k lines)
    python3 bench/gen_dense.py --findings-file 400 OUT_FILE.py    # one file, 400 SDK blocks

Of the files, `--sdk-share` (default 0.77) use the v1 SDK (clients, run/stream,
predictions.create/get/wait/cancel, models.get and versions, trainings, deployments, files,
pagination, exceptions, helper classes, async) mixed with plain Python; a few more mention the
word `replicate` without using the SDK (they pass the byte prefilter and are parsed); the rest
is plain Python. Every file is checked with `ast.parse` before it is written.
"""

import argparse
import ast
import os
import random
import sys

NOUNS = [
    "image", "caption", "prompt", "user", "order", "invoice", "report", "thumbnail", "avatar",
    "job", "batch", "task", "record", "session", "event", "message", "document", "summary",
    "upload", "asset", "frame", "clip", "track", "note", "ticket", "item", "account", "profile",
    "config", "result", "payload", "chunk", "token", "query", "answer", "label", "score", "tag",
]
VERBS = [
    "load", "build", "render", "fetch", "parse", "store", "resize", "encode", "merge", "split",
    "score", "rank", "filter", "format", "sync", "export", "index", "collect", "compute", "check",
    "prepare", "publish", "notify", "update", "resolve", "scan", "clean", "group", "sample",
]
OWNERS = ["acme", "meta", "stability-ai", "black-forest-labs", "openai", "mistralai", "lucataco",
          "fofr", "zsxkib", "replicate", "nightmareai", "salesforce", "cjwbw", "andreasjansson"]
MODELS = ["flux-dev", "flux-schnell", "sdxl", "llama-2-7b-chat", "meta-llama-3-8b-instruct",
          "whisper", "blip", "musicgen", "real-esrgan", "clip-features", "summarizer",
          "captioner", "codellama-13b", "gfpgan", "controlnet", "mixtral-8x7b-instruct"]
AREAS = ["api", "services", "workers", "jobs", "handlers", "models", "utils", "cli", "pipelines",
         "integrations", "tasks", "views", "core", "media", "ml"]
STDLIB = ["os", "json", "time", "logging", "re", "math", "itertools", "functools", "pathlib",
          "collections", "typing", "dataclasses", "datetime", "hashlib", "base64", "uuid"]


def ident(r):
    return f"{r.choice(VERBS)}_{r.choice(NOUNS)}"


def model_ref(r, version=False):
    ref = f"{r.choice(OWNERS)}/{r.choice(MODELS)}"
    if version:
        ref += ":" + "".join(r.choice("0123456789abcdef") for _ in range(64))
    return ref


def version_id(r):
    return "".join(r.choice("0123456789abcdef") for _ in range(64))


def body_fill(r, indent="    ", n=None):
    """A few self-contained lines of ordinary logic inside a function."""
    lines = []
    for _ in range(n if n is not None else r.randint(1, 4)):
        k = r.randint(0, 6)
        a = r.choice(NOUNS)
        if k == 0:
            lines.append(f'{indent}logger.debug("%s: %d env vars", "{a}", len(os.environ))')
        elif k == 1:
            lines.append(f'{indent}logger.info("{r.choice(VERBS)} %s", "{a}")')
        elif k == 2:
            lines.append(f'{indent}for key in sorted(k for k in os.environ if k.startswith("{a.upper()}_")):')
            lines.append(f'{indent}    logger.debug("%s is set", key)')
        elif k == 3:
            lines.append(f'{indent}if int(os.environ.get("{a.upper()}_LIMIT", "{r.randint(1, 500)}")) > {r.randint(1, 100)}:')
            lines.append(f'{indent}    logger.warning("{a} limit is high")')
        elif k == 4:
            lines.append(f'{indent}logger.debug("key %s", f"{a}/{{time.time():.0f}}-{r.randint(0, 99)}")')
        elif k == 5:
            lines.append(f"{indent}logger.debug(\"total %d\", sum(x * {r.randint(2, 9)} for x in range({r.randint(3, 99)})))")
        else:
            lines.append(f"{indent}time.sleep({r.randint(1, 9) / 100})")
    return lines


# --- plain Python -------------------------------------------------------------------------

def plain_function(r):
    name = ident(r)
    args = ", ".join(sorted(set(r.choice(NOUNS) for _ in range(r.randint(1, 3)))))
    k = r.randint(0, 5)
    out = []
    if r.random() < 0.2:
        out.append("@functools.lru_cache(maxsize=128)")
    out.append(f"def {name}({args}):")
    out.append(f'    """{name.replace("_", " ").capitalize()} for the given {args}."""')
    first = args.split(", ")[0]
    if k == 0:
        out += [f"    result = []",
                f"    for index, value in enumerate({first}):",
                f"        if index % {r.randint(2, 7)} == 0:",
                f"            continue",
                f"        result.append(str(value).strip().lower())"]
        out += body_fill(r)
        out.append("    return result")
    elif k == 1:
        out += [f"    try:",
                f"        with open({first}, encoding=\"utf-8\") as handle:",
                f"            data = json.load(handle)",
                f"    except (OSError, ValueError) as exc:",
                f"        logger.warning(\"cannot read %s: %s\", {first}, exc)",
                f"        return None"]
        out += body_fill(r)
        out.append(f'    return data.get("{r.choice(NOUNS)}", {r.randint(0, 9)})')
    elif k == 2:
        out += [f"    counts = collections.Counter()",
                f"    for item in {first}:",
                f"        counts[item] += 1",
                f"    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))"]
        out += body_fill(r)
        out.append(f"    return ranked[:{r.randint(3, 50)}]")
    elif k == 3:
        out += [f"    path = pathlib.Path(os.environ.get(\"{r.choice(NOUNS).upper()}_DIR\", \"/tmp\"))",
                f"    path.mkdir(parents=True, exist_ok=True)",
                f"    digest = hashlib.sha256(str({first}).encode()).hexdigest()[:16]"]
        out += body_fill(r)
        out.append(f"    return path / f\"{{digest}}.json\"")
    elif k == 4:
        out += [f"    started = time.monotonic()",
                f"    while time.monotonic() - started < {r.randint(1, 30)}:",
                f"        if not {first}:",
                f"            break",
                f"        {first} = {first}[1:]"]
        out += body_fill(r)
        out.append(f"    return {first}")
    else:
        out += [f"    values = [x for x in {first} if x]",
                f"    if not values:",
                f"        raise ValueError(\"no {r.choice(NOUNS)} given\")",
                f"    mean = sum(values) / len(values)"]
        out += body_fill(r)
        out.append(f"    return math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))")
    return out


def plain_class(r):
    name = "".join(w.capitalize() for w in ident(r).split("_"))
    fields = sorted(set(r.choice(NOUNS) for _ in range(r.randint(2, 5))))
    out = ["@dataclasses.dataclass", f"class {name}:"]
    for f in fields:
        out.append(f"    {f}: typing.Optional[str] = None")
    out.append(f"    created: datetime.datetime = dataclasses.field(default_factory=datetime.datetime.now)")
    out.append("")
    out.append("    def to_dict(self):")
    out.append("        return {")
    for f in fields:
        out.append(f'            "{f}": self.{f},')
    out.append('            "created": self.created.isoformat(),')
    out.append("        }")
    out.append("")
    out.append("    @classmethod")
    out.append("    def from_dict(cls, data):")
    out.append(f"        return cls(**{{k: data.get(k) for k in ({', '.join(repr(f) for f in fields)},)}})")
    return out


def plain_unit(r):
    return plain_class(r) if r.random() < 0.25 else plain_function(r)


# --- SDK v1 code ---------------------------------------------------------------------------
# Each takes the Random and the receiver (`replicate`, `rep`, `client`) and returns lines.

def sdk_run(r, R):
    name, key = ident(r), r.choice(NOUNS)
    if r.random() < 0.5:
        call = f'{R}.run("{model_ref(r)}", {{"{key}": {key}, "max_tokens": {r.randint(64, 2048)}}})'
    else:
        call = f'{R}.run("{model_ref(r, version=True)}", input={{"{key}": {key}}})'
    return [f"def {name}({key}):",
            f"    output = {call}"] + body_fill(r) + [
            f'    return "".join(str(part) for part in output)']


def sdk_stream(r, R):
    name = ident(r)
    return [f"def {name}(prompt, system=None):",
            f"    chunks = []",
            f'    for event in {R}.stream("{model_ref(r)}", input={{"prompt": prompt, "system_prompt": system}}):',
            f"        chunks.append(str(event))"] + body_fill(r) + [
            f'    return "".join(chunks)']


def sdk_create_wait(r, R):
    name = ident(r)
    return [f"def {name}(prompt):",
            f"    prediction = {R}.predictions.create(",
            f'        model="{model_ref(r)}",',
            f'        input={{"prompt": prompt, "num_outputs": {r.randint(1, 4)}}},',
            f"    )",
            f"    prediction.wait()"] + body_fill(r) + [
            f'    return prediction.id, prediction.status, prediction.urls["get"]']


def sdk_create_version(r, R):
    name = ident(r)
    return [f"def {name}(image_url, webhook=None):",
            f'    version = "{version_id(r)}"',
            f'    prediction = {R}.predictions.create(version, {{"image": image_url}}, webhook=webhook)'] + body_fill(r) + [
            f"    return prediction"]


def sdk_get_cancel(r, R):
    name = ident(r)
    return [f"def {name}(prediction_id, give_up=False):",
            f"    prediction = {R}.predictions.get(prediction_id)",
            f"    if give_up and prediction.status not in (\"succeeded\", \"failed\"):",
            f"        {R}.predictions.cancel(prediction_id)"] + body_fill(r, "    ") + [
            f"    return prediction.status"]


def sdk_reload_loop(r, R):
    name = ident(r)
    return [f"def {name}(prompt, interval=0.5):",
            f'    prediction = {R}.predictions.create(model="{model_ref(r)}", input={{"prompt": prompt}})',
            f'    while prediction.status not in ("succeeded", "failed", "canceled"):',
            f"        time.sleep(interval)",
            f"        prediction.reload()",
            f"    if prediction.status == \"failed\":",
            f"        prediction.cancel()"] + body_fill(r) + [
            f"    return prediction.output"]


def sdk_models(r, R):
    name = ident(r)
    owner, model = r.choice(OWNERS), r.choice(MODELS)
    return [f"def {name}():",
            f'    model = {R}.models.get("{owner}/{model}")',
            f"    versions = model.versions.list()",
            f"    latest = model.versions.get(model.latest_version.id)"] + body_fill(r) + [
            f"    return model.id, len(versions), latest.id"]


def sdk_models_owner_name(r, R):
    name = ident(r)
    return [f"def {name}(owner, name):",
            f"    model = {R}.models.get(owner, name)",
            f"    return model.owner, model.name, model.run_count"]


def sdk_trainings(r, R):
    name = ident(r)
    return [f"def {name}(zip_url, destination=\"{r.choice(OWNERS)}/{r.choice(MODELS)}-ft\"):",
            f"    training = {R}.trainings.create(",
            f'        version="{model_ref(r, version=True)}",',
            f'        input={{"input_images": zip_url, "steps": {r.randint(100, 4000)}}},',
            f"        destination=destination,",
            f"    )",
            f'    while training.status not in ("succeeded", "failed", "canceled"):',
            f"        time.sleep(1)",
            f"        training.reload()"] + body_fill(r) + [
            f'    return training.output["weights"] if training.output else None']


def sdk_training_get(r, R):
    name = ident(r)
    return [f"def {name}(training_id):",
            f"    training = {R}.trainings.get(training_id)",
            f"    if training.status == \"processing\":",
            f"        {R}.trainings.cancel(training_id)",
            f"    return training.status"]


def sdk_deployments(r, R):
    name = ident(r)
    dep = f"{r.choice(OWNERS)}/{r.choice(NOUNS)}-{r.choice(['prod', 'staging', 'canary'])}"
    return [f"def {name}(text):",
            f'    deployment = {R}.deployments.get("{dep}")',
            f'    prediction = deployment.predictions.create(input={{"text": text}})',
            f"    prediction.wait()"] + body_fill(r) + [
            f"    return prediction.output"]


def sdk_deployment_create(r, R):
    name = ident(r)
    return [f"def {name}(text):",
            f"    prediction = {R}.predictions.create(",
            f'        deployment="{r.choice(OWNERS)}/{r.choice(NOUNS)}-prod",',
            f'        input={{"text": text}},',
            f"        wait=True,",
            f"    )",
            f"    return prediction.id, prediction.output"]


def sdk_files(r, R):
    name = ident(r)
    return [f"def {name}(path):",
            f'    uploaded = {R}.files.create(file=open(path, "rb"), filename="{r.choice(NOUNS)}.jpg")',
            f"    again = {R}.files.get(uploaded.id)"] + body_fill(r) + [
            f'    return again.urls["get"], again.checksums["sha256"]']


def sdk_pagination(r, R):
    name = ident(r)
    return [f"def {name}():",
            f"    page = {R}.predictions.list()",
            f"    ids = []",
            f"    for p in page:",
            f"        ids.append(p.id)",
            f"    first = page[0] if len(page) else None"] + body_fill(r) + [
            f"    return ids, first, page.next"]


def sdk_paginate(r, R):
    name = ident(r)
    return [f"def {name}():",
            f"    seen = []",
            f"    for page in replicate.paginate(replicate.models.list):",
            f"        seen.extend(m.name for m in page)",
            f"    return seen"]


def sdk_exceptions(r, R):
    name = ident(r)
    return [f"def {name}(ref, text):",
            f"    try:",
            f'        return {R}.run(ref, input={{"text": text}})',
            f"    except ModelError as exc:",
            f'        logger.warning("model failed: %s", exc.prediction.id)',
            f"        return None",
            f"    except ReplicateError as exc:",
            f'        logger.error("api error %s: %s", exc.status, exc.detail)',
            f"        raise"]


def sdk_typed(r, R):
    name = ident(r)
    return [f"def {name}(p: Prediction, interval: float = 0.25) -> str:",
            f'    while p.status not in ("succeeded", "failed", "canceled"):',
            f"        time.sleep(interval)",
            f"        p.reload()",
            f"    return p.status"]


def sdk_async(r, R):
    name = ident(r)
    return [f"async def {name}(prompt):",
            f'    output = await replicate.async_run("{model_ref(r)}", input={{"prompt": prompt}})',
            f"    return output"]


def sdk_misc(r, R):
    name = ident(r)
    return [f"def {name}():",
            f'    collection = {R}.collections.get("{r.choice(["text-to-image", "super-resolution", "language-models"])}")',
            f"    account = {R}.accounts.current()",
            f"    secret = {R}.webhooks.default.secret()",
            f"    return account.username, len(collection), secret.key"]


def sdk_class(r, R):
    cls = "".join(w.capitalize() for w in ident(r).split("_")) + "Service"
    model = model_ref(r)
    return [f"class {cls}:",
            f'    def __init__(self, token=None, model="{model}"):',
            f"        self.model = model",
            f'        self.client = Client(api_token=token or os.environ["REPLICATE_API_TOKEN"])',
            f"",
            f"    def submit(self, prompt, **options):",
            f'        return self.client.predictions.create(model=self.model, input={{"prompt": prompt, **options}})',
            f"",
            f"    def status(self, prediction_id):",
            f"        return self.client.predictions.get(prediction_id).status",
            f"",
            f"    def finish(self, prediction):",
            f"        prediction.wait()",
            f"        return prediction.status, prediction.output",
            f"",
            f"    def stop(self, prediction):",
            f"        prediction.cancel()",
            f"        return prediction.status"]


SDK_UNITS = [
    (sdk_run, 10), (sdk_stream, 4), (sdk_create_wait, 8), (sdk_create_version, 4),
    (sdk_get_cancel, 6), (sdk_reload_loop, 4), (sdk_models, 5), (sdk_models_owner_name, 3),
    (sdk_trainings, 3), (sdk_training_get, 2), (sdk_deployments, 3), (sdk_deployment_create, 2),
    (sdk_files, 3), (sdk_pagination, 3), (sdk_paginate, 1), (sdk_exceptions, 3), (sdk_typed, 2),
    (sdk_async, 2), (sdk_misc, 1), (sdk_class, 3),
]
SDK_FUNCS = [f for f, _ in SDK_UNITS]
SDK_WEIGHTS = [w for _, w in SDK_UNITS]

COMMON_IMPORTS = ["import collections", "import dataclasses", "import datetime", "import functools",
                  "import hashlib", "import json", "import logging", "import math", "import os",
                  "import pathlib", "import time", "import typing"]

# header styles: (lines, receiver)
STYLES = [
    (["import replicate"], "replicate", 5),
    (["import replicate as rep"], "rep", 1),
    (["from replicate import Client", "",
      'client = Client(api_token=os.environ["REPLICATE_API_TOKEN"])'], "client", 2),
    (["import replicate", "",
      'client = replicate.Client(api_token=os.environ.get("REPLICATE_API_TOKEN"), headers={"User-Agent": "svc/1.0"})'],
     "client", 2),
]


def sdk_header(r, units):
    """The file's replicate imports and module-level lines, and the receiver its code uses."""
    style_lines, receiver, _ = r.choices(STYLES, weights=[s[2] for s in STYLES])[0]
    imports = {l for l in style_lines if l.startswith(("import ", "from "))}
    rest = [l for l in style_lines if not l.startswith(("import ", "from "))]
    if sdk_exceptions in units:
        imports.add("from replicate.exceptions import ModelError, ReplicateError")
    if sdk_typed in units:
        imports.add("from replicate.prediction import Prediction")
    if sdk_class in units:
        imports.add("from replicate import Client")
    if sdk_async in units or sdk_paginate in units:
        imports.add("import replicate")
    return sorted(imports), rest, receiver


def module_docstring(r, i):
    return f'"""{r.choice(VERBS).capitalize()} {r.choice(NOUNS)}s for the {r.choice(AREAS)} layer (module {i})."""'


def file_size_units(r):
    # skewed: most files are small, a few are large
    return max(2, min(120, int(r.lognormvariate(1.75, 0.6))))


def gen_file(r, i, kind):
    """kind: 'sdk', 'decoy' (mentions replicate, no SDK use) or 'plain'."""
    n = file_size_units(r)
    out = [module_docstring(r, i)]
    if kind == "sdk":
        k = max(1, min(n - 1, int(n * r.uniform(0.3, 0.6))))
        units = r.choices(SDK_FUNCS, weights=SDK_WEIGHTS, k=k)
        imports, rest, receiver = sdk_header(r, units)
        out += COMMON_IMPORTS + [""] + imports + [""]
        out += rest + [""] if rest else []
        out += ["logger = logging.getLogger(__name__)"] + ["", ""]
        bodies = [f(r, receiver) for f in units] + [plain_unit(r) for _ in range(n - k)]
        r.shuffle(bodies)
    else:
        out += COMMON_IMPORTS + [""]
        out += ["logger = logging.getLogger(__name__)"] + ["", ""]
        bodies = [plain_unit(r) for _ in range(n)]
        if kind == "decoy":
            bodies.insert(r.randrange(len(bodies) + 1), [
                "def replicate_rows(rows, times=2):",
                '    """Replicate each row `times` times (no relation to any SDK)."""',
                "    return [row for row in rows for _ in range(times)]"])
    for b in bodies:
        out += b + ["", ""]
    text = "\n".join(out).rstrip() + "\n"
    return text


def check_python(text, where):
    try:
        ast.parse(text)
    except SyntaxError as e:
        sys.exit(f"gen_dense.py: generated invalid Python in {where}: {e}")


def gen_tree(out_dir, files, seed, sdk_share, decoy_share):
    r = random.Random(seed)
    total_lines = 0
    counts = {"sdk": 0, "decoy": 0, "plain": 0}
    for i in range(files):
        x = r.random()
        kind = "sdk" if x < sdk_share else "decoy" if x < sdk_share + decoy_share else "plain"
        counts[kind] += 1
        text = gen_file(r, i, kind)
        rel = os.path.join(f"app{i % 20}", AREAS[(i // 20) % len(AREAS)], f"{ident(r)}_{i}.py")
        check_python(text, rel)
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        total_lines += text.count("\n")
    return total_lines, counts


def gen_findings_file(path, blocks, seed):
    """One module with `blocks` SDK blocks: the findings grow with `blocks`, nothing else does."""
    r = random.Random(seed)
    units = [SDK_FUNCS[i % len(SDK_FUNCS)] for i in range(blocks)]
    imports, _, _ = sdk_header(random.Random(0), [sdk_exceptions, sdk_typed, sdk_class])
    out = ['"""Many SDK uses in one module."""'] + COMMON_IMPORTS + ["", "import replicate"]
    out += [i for i in imports if i != "import replicate"] + [""]
    out += ["logger = logging.getLogger(__name__)"] + ["", ""]
    for n, f in enumerate(units):
        lines = f(r, "replicate")
        # unique names, so each block is a separate function/class
        head = lines[0]
        for kw in ("async def ", "def ", "class "):
            if head.startswith(kw):
                name_end = head.index("(") if "(" in head else head.index(":")
                lines[0] = head[:name_end] + f"_{n}" + head[name_end:]
                break
        out += lines + ["", ""]
    text = "\n".join(out).rstrip() + "\n"
    check_python(text, path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return text.count("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory (or file, with --findings-file)")
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--sdk-share", type=float, default=0.77)
    ap.add_argument("--decoy-share", type=float, default=0.03)
    ap.add_argument("--findings-file", type=int, metavar="BLOCKS",
                    help="write one file with BLOCKS SDK blocks instead of a tree")
    a = ap.parse_args()
    if a.findings_file is not None:
        lines = gen_findings_file(a.out, a.findings_file, a.seed)
        print(f"gen_dense: {a.out}: {a.findings_file} SDK blocks, {lines} lines")
        return
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"gen_dense.py: {a.out} is not empty")
    lines, counts = gen_tree(a.out, a.files, a.seed, a.sdk_share, a.decoy_share)
    print(f"gen_dense: {a.out}: {a.files} files, {lines} lines, {counts['sdk']} using the SDK "
          f"({100 * counts['sdk'] / a.files:.0f}%), {counts['decoy']} mentioning `replicate` "
          f"without it, seed {a.seed}")


if __name__ == "__main__":
    main()
