"""Streamlit 'studio' page: pick a model, tweak inputs, and see the results."""
import base64
import io
import time

import httpx
import replicate
import streamlit as st
from replicate.helpers import FileOutput  # v1: IM17
from replicate.exceptions import ReplicateException  # v1: IM16

st.set_page_config(page_title="Studio", layout="wide")

MODELS = {
    "SDXL": "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
    "Flux schnell": "black-forest-labs/flux-schnell",
    "Real-ESRGAN": "nightmareai/real-esrgan:f121d640bd286e1fdc67f9799164c1d5be36ff74576ee11c803ae5b665dd46aa",
}


@st.cache_resource
def get_client():
    token = st.secrets.get("REPLICATE_API_TOKEN")
    return replicate.Client(token) if token else replicate.Client()  # v1: C01, M01


def show(output):
    items = output if isinstance(output, list) else [output]
    for item in items:
        if isinstance(item, FileOutput):
            st.image(item.read())
        elif isinstance(item, str) and item.startswith("data:"):
            st.image(io.BytesIO(base64.b64decode(item.split(",", 1)[1])))
        else:
            st.write(item)


client = get_client()
choice = st.sidebar.selectbox("Model", list(MODELS))
ref = MODELS[choice]
prompt = st.text_area("Prompt", "an astronaut riding a horse, 35mm photo")
inline = st.sidebar.checkbox("Inline files as base64", value=False)
background = st.sidebar.checkbox("Run in background", value=False)

if st.button("Run"):
    t0 = time.time()
    try:
        if background and ":" in ref:
            pred = client.predictions.create(  # v1: P09
                version=ref.split(":")[1],
                input={"prompt": prompt},
                wait=5,
            )
            with st.spinner("waiting"):
                pred.wait()  # v1: PO01
            show(pred.output)
            st.caption(f"created {pred.created_at[:19].replace('T', ' ')}")  # v1: PO13
        elif inline:
            show(client.run(ref, input={"prompt": prompt}, file_encoding_strategy="base64"))
        else:
            show(client.run(ref, {"prompt": prompt}, use_file_output=True))  # v1: R05
    except replicate.exceptions.ModelError as e:  # v1: E10
        st.error(f"Model error: {e}")
        st.json(e.prediction.dict())  # v1: PO17
    except ReplicateException as e:
        st.error(str(e))
    except httpx.TimeoutException:  # v1: E13
        st.warning("Replicate timed out, try again")
    st.caption(f"{time.time() - t0:.1f}s")

with st.expander("Recent predictions"):
    page = client.predictions.list()
    rows = [{"id": p.id, "model": p.model, "status": p.status} for p in page.results]
    st.table(rows)
    if st.button("Older"):
        older = client.predictions.list(page.next)  # v1: P01, PG07
        st.table([{"id": p.id, "status": p.status} for p in older])  # v1: PG04
