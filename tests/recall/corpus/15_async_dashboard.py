"""Async dashboard backend (aiohttp): aggregates account state from many Replicate endpoints."""
import asyncio
import os

import replicate
from aiohttp import web

routes = web.RouteTableDef()
rep = replicate
client = rep.Client(api_token=os.environ["REPLICATE_API_TOKEN"])  # v1: C02


@routes.get("/overview")
async def overview(request: web.Request) -> web.Response:
    hardware, collections, deployments, files = await asyncio.gather(
        client.hardware.async_list(),  # v1: H02
        client.collections.async_list(),  # v1: CO04
        client.deployments.async_list(),  # v1: D04
        client.files.async_list(),  # v1: F06
    )
    return web.json_response(
        {
            "hardware": [h.sku for h in hardware],
            "collections": [c.slug for c in collections.results],
            "deployments": [f"{d.owner}/{d.name}" for d in deployments.results],
            "files": len(files),  # v1: F05
        }
    )


@routes.get("/collections/{slug}")
async def collection(request: web.Request) -> web.Response:
    c = await client.collections.async_get(request.match_info["slug"])  # v1: CO02
    return web.json_response({"name": c.name, "models": [m.name for m in c.models]})


@routes.get("/deployments/{owner}/{name}")
async def deployment(request: web.Request) -> web.Response:
    ref = f"{request.match_info['owner']}/{request.match_info['name']}"
    d = await client.deployments.async_get(ref)  # v1: D02
    if request.query.get("warm"):
        p = await d.predictions.async_create(input={"prompt": "warm-up"})  # v1: D14
        return web.json_response({"warming": p.id})
    return web.json_response({"release": d.current_release.number if d.current_release else None})


@routes.post("/deployments/{owner}/{name}/predict")
async def predict(request: web.Request) -> web.Response:
    body = await request.json()
    ref = f"{request.match_info['owner']}/{request.match_info['name']}"
    p = await client.deployments.predictions.async_create(ref, input=body)  # v1: D12
    return web.json_response({"id": p.id, "status": p.status})


@routes.get("/models/{owner}/{name}/versions")
async def versions(request: web.Request) -> web.Response:
    m = await client.models.async_get(request.match_info["owner"], request.match_info["name"])  # v1: MD05
    page = await m.versions.async_list()  # v1: V04
    return web.json_response([v.id for v in page.results])


@routes.delete("/models/{owner}/{name}/versions/{vid}")
async def delete_version(request: web.Request) -> web.Response:
    m = await client.models.async_get(f"{request.match_info['owner']}/{request.match_info['name']}")  # v1: MD05
    v = await m.versions.async_get(request.match_info["vid"])  # v1: V02
    await m.versions.async_delete(v.id)  # v1: V06
    return web.Response(status=204)


@routes.get("/search")
async def search(request: web.Request) -> web.Response:
    page = await client.models.async_search(request.query["q"])  # v1: MD09
    return web.json_response([f"{m.owner}/{m.name}" for m in page.results])


@routes.get("/files/{fid}")
async def file_info(request: web.Request) -> web.Response:
    f = await client.files.async_get(request.match_info["fid"])  # v1: F04
    if request.query.get("delete"):
        await client.files.async_delete(f.id)  # v1: F08
    return web.json_response({"id": f.id, "size": f.size, "type": f.content_type})


@routes.get("/me")
async def me(request: web.Request) -> web.Response:
    acct = await client.accounts.async_current()  # v1: C11, A02
    return web.json_response({"username": acct.username, "type": acct.type})


@routes.post("/predict/{owner}/{name}")
async def predict_model(request: web.Request) -> web.Response:
    body = await request.json()
    model = (request.match_info["owner"], request.match_info["name"])
    p = await client.models.predictions.async_create(model, input=body)  # v1: MD18
    async for line in p.async_output_iterator():  # v1: PO10
        print(line)
    return web.json_response({"id": p.id})


app = web.Application()
app.add_routes(routes)

if __name__ == "__main__":
    web.run_app(app, port=int(os.environ.get("PORT", "8000")))
