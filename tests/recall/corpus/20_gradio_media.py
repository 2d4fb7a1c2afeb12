"""Gradio demo: text-to-speech, music and video upscaling, plus a local sklearn ranker."""
import asyncio
import os
import pickle
import tempfile

import gradio as gr
import numpy as np
import replicate
from replicate.helpers import FileOutput  # v1: IM17

RANKER_PATH = os.environ.get("RANKER_PATH", "ranker.pkl")
TTS = "jaaari/kokoro-82m:f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13"
MUSIC = "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
UPSCALE = "lucataco/real-esrgan-video:c23768236472c41b7a121ee735c8073e29080c01b32907740cfada61bff75320"

with open(RANKER_PATH, "rb") as fh:
    ranker = pickle.load(fh)  # a fitted sklearn model


def score_prompt(prompt: str) -> float:
    feats = np.array([[len(prompt), prompt.count(","), prompt.count(" ")]])
    return float(ranker.predict(feats)[0])


def save(output: FileOutput, suffix: str) -> str:
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as out:
        for chunk in output:
            out.write(chunk)
    return path


def speak(text: str, voice: str):
    audio = replicate.run(TTS, input={"text": text, "voice": voice}, use_file_output=True)
    return save(audio, ".wav")


async def compose(prompt: str, seconds: int):
    audio = await replicate.async_run(MUSIC, input={"prompt": prompt, "duration": seconds})  # v1: M04
    data = await audio.aread()  # v1: IM17
    fd, path = tempfile.mkstemp(suffix=".mp3")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return path


def upscale(video_path: str):
    with open(video_path, "rb") as fh:
        prediction = replicate.predictions.create(UPSCALE.split(":")[1], input={"video_path": fh})  # v1: P05
    prediction.wait()  # v1: PO01
    if prediction.status != "succeeded":
        raise gr.Error(prediction.error or "upscale failed")
    secs = prediction.metrics["predict_time"]  # v1: PO14
    gr.Info(f"upscaled in {secs:.0f}s")
    return prediction.output


def model_card(ref: str) -> str:
    m = replicate.models.get(ref)  # v1: MD01
    lines = [f"# {m.owner}/{m.name}", m.description or "", f"runs: {m.run_count}"]
    if m.latest_version:
        lines.append(f"latest: {m.latest_version.id} (cog {m.latest_version.cog_version})")
    return "\n\n".join(lines)


with gr.Blocks(title="Media lab") as demo:
    with gr.Tab("Speech"):
        text = gr.Textbox(label="Text")
        voice = gr.Dropdown(["af_bella", "am_adam"], value="af_bella")
        gr.Button("Speak").click(speak, [text, voice], gr.Audio())
    with gr.Tab("Music"):
        mprompt = gr.Textbox(label="Prompt")
        secs = gr.Slider(5, 30, value=10, step=1)
        gr.Button("Compose").click(lambda p, s: asyncio.run(compose(p, int(s))), [mprompt, secs], gr.Audio())
    with gr.Tab("Upscale"):
        vid = gr.Video()
        gr.Button("Upscale").click(upscale, vid, gr.Video())
    with gr.Tab("Model card"):
        ref = gr.Textbox(value="meta/musicgen")
        gr.Button("Show").click(model_card, ref, gr.Markdown())
    with gr.Tab("Prompt score"):
        p = gr.Textbox()
        gr.Button("Score").click(score_prompt, p, gr.Number())

if __name__ == "__main__":
    demo.queue().launch(server_name="0.0.0.0")
