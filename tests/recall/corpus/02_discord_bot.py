"""Discord bot: /imagine and /llm commands backed by Replicate (async)."""
import asyncio
import os

import discord
import replicate
from discord import app_commands
from replicate.exceptions import ModelError, ReplicateError  # v1: IM16

intents = discord.Intents.default()
bot = discord.Client(intents=intents)
tree = app_commands.CommandTree(bot)

FLUX = "black-forest-labs/flux-schnell"
LLAMA = "meta/meta-llama-3-8b-instruct"
pending: dict[int, asyncio.Task] = {}


async def imagine(prompt: str) -> str:
    output = await replicate.async_run(FLUX, input={"prompt": prompt})  # v1: M04
    return str(output[0])


async def chat(prompt: str) -> str:
    parts = []
    async for event in await replicate.async_stream(LLAMA, input={"prompt": prompt}):  # v1: M06
        parts.append(str(event))
    return "".join(parts)


async def slow_job(prompt: str):
    prediction = await replicate.predictions.async_create(  # v1: P13
        model=FLUX,
        input={"prompt": prompt, "num_outputs": 4},
    )
    await prediction.async_wait()  # v1: PO02
    return prediction


@tree.command(name="imagine", description="Generate an image")
async def imagine_cmd(interaction: discord.Interaction, prompt: str):
    await interaction.response.defer(thinking=True)
    try:
        url = await imagine(prompt)
    except ModelError as e:
        await interaction.followup.send(f"The model failed: {e.prediction.error}")
        return
    except ReplicateError as e:
        await interaction.followup.send(f"Replicate said {e.title}: {e.detail}")  # v1: E04
        return
    await interaction.followup.send(url)


@tree.command(name="llm", description="Ask the language model")
async def llm_cmd(interaction: discord.Interaction, prompt: str):
    await interaction.response.defer()
    reply = await chat(prompt)
    await interaction.followup.send(reply[:1900])


@tree.command(name="batch", description="Generate four images in the background")
async def batch_cmd(interaction: discord.Interaction, prompt: str):
    await interaction.response.send_message("Working on it...")
    task = asyncio.create_task(slow_job(prompt))
    pending[interaction.user.id] = task
    prediction = await task
    pending.pop(interaction.user.id, None)
    if prediction.status == "succeeded":
        await interaction.followup.send("\n".join(str(o) for o in prediction.output))
    else:
        await interaction.followup.send(f"status: {prediction.status}")


@tree.command(name="stop", description="Cancel your running job")
async def stop_cmd(interaction: discord.Interaction):
    task = pending.pop(interaction.user.id, None)
    if task is not None:
        task.cancel()  # asyncio.Task.cancel, not a prediction
    await interaction.response.send_message("Cancelled." if task else "Nothing running.")


@tree.command(name="status", description="Look up a prediction")
async def status_cmd(interaction: discord.Interaction, prediction_id: str):
    prediction = await replicate.predictions.async_get(prediction_id)  # v1: P04
    if prediction.status == "processing":
        await prediction.async_reload()  # v1: PO06
    await interaction.response.send_message(f"{prediction.id}: {prediction.status}")


@tree.command(name="abort", description="Cancel a prediction by id")
async def abort_cmd(interaction: discord.Interaction, prediction_id: str):
    await replicate.predictions.async_cancel(prediction_id)  # v1: P15
    await interaction.response.send_message("Cancel requested")


@bot.event
async def on_ready():
    await tree.sync()
    me = await replicate.default_client.accounts.async_current()  # v1: M02, A02
    print(f"logged in as {bot.user}, replicate account {me.username}")


if __name__ == "__main__":
    bot.run(os.environ["DISCORD_TOKEN"])
