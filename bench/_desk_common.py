"""Shared parts of the desktop benchmarks (desk_start, desk_channel, desk_search): realistic
field traffic, vaults of many messages written through the one road, and the Qt helpers that
tell when a view has painted.

Texts: a few hundred distinct sentences of field traffic (convoys, checkpoints, patrols,
generators, fuel, QRF, MSR, ETA, grid references...) made from templates with a fixed seed,
then recombined, 1 to 4 sentences per message, cut to 4-40 words. The vocabulary is therefore
realistic: a few hundred common words, plus many rare tokens (grid references, times, counts).

Authors: this device and four peers. The peers' operations are signed by their own device keys
through a second `OperationWriter` on the same vault (each registers its device and person
first), so the vault holds what it would after syncing with them, without running sync for a
million operations; the view code then sees other people's messages, not only its own.

Nothing is cached in the repository. `--keep DIR` (on the benchmarks) keeps a built vault in
DIR and reuses it when its manifest matches, which helps when profiling; the default builds in a
temporary folder and throws it away.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _common import SRC
from missiondesk.crypto.keywrap import DEFAULT_KDF, KdfParams
from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.hlc import HybridClock
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.messaging import ChannelKind, Message
from missiondesk.domain.records.people import Device, Person
from missiondesk.services.session import Session
from missiondesk.services.vault_access import (
    DEFAULT_CHANNEL_ID,
    change_passphrase,
    create_vault,
    unlock_vault,
)
from missiondesk.services.writer import Change, OperationWriter

PASSPHRASE = "correct horse battery staple"
LIGHT_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # setup speed; "no KDF" starts
FILL_BATCH = 1000  # changes per round of the fill; each author's share is one transaction
SPAN_DAYS = 60  # the messages' clocks are spread over this many days, ending now
MANIFEST = "bench-manifest.json"
BUILD_VERSION = 1  # bump when the texts or the layout change, so a kept vault is rebuilt

# -- texts ------------------------------------------------------------------------------------

CALLSIGNS = (
    *("ALPHA-1", "BRAVO-2", "CHARLIE-3", "DELTA-4", "ECHO-5", "FOXTROT-6", "GOLF-7", "HOTEL-8"),
    *("KILO-11", "LIMA-12", "MIKE-13", "OSCAR-15", "SIERRA-19", "TANGO-20", "ZULU-26"),
)
PLACES = (
    *("Kasra", "Tell Hamid", "Bir Zayt", "Al Qusur", "Wadi Saba", "Ras Nour", "Jebel Kha"),
    *("Marrat", "Umm Tuba", "Deir Salim", "Haditha bridge", "the old mill", "the pumping station"),
    *("the market square", "the school compound", "the river crossing", "the airstrip"),
)
ROUTES = ("MSR TAMPA", "MSR COPPER", "ASR DOVER", "ASR LEAD", "Route 7", "Route 12", "MSR BLUE")
VEHICLES = ("trucks", "LCMS", "MRAPs", "water bowsers", "fuel tankers", "ambulances", "pickups")
ITEMS = (
    *("fuel", "diesel", "water", "rations", "medical supplies", "batteries", "generator parts"),
    *("tents", "blankets", "ammunition", "spare tyres", "radios", "sandbags", "chlorine tablets"),
)
STATES = ("open", "closed", "congested", "clear", "flooded", "mined", "under repair", "blocked")
TEMPLATES = (
    "Convoy {n} departed {place} at {time}, {v} vehicles, ETA {place2} {time2}.",
    "Convoy {n} arrived {place}, all {v} {vehicles} accounted for.",
    "Convoy {n} delayed at checkpoint {cp} on {route}, new ETA {time2}.",
    "Checkpoint {cp} on {route} is {state}; traffic diverted via {route2}.",
    "Checkpoint {cp} reports {v} civilian vehicles queued since {time}.",
    "Patrol {callsign} leaving the wire at {time} toward {place}, grid {grid}.",
    "Patrol {callsign} back inside at {time}, nothing significant to report.",
    "Patrol {callsign} observed movement near {place}, grid {grid}, {v} persons.",
    "Patrol {callsign} halted at {place}: suspected IED at grid {grid}, cordon set.",
    "Generator {g} at {place} is down, fuel pump fault; running on batteries.",
    "Generator {g} restored at {time}, fuel remaining {pct} percent.",
    "Fuel state at {place}: {v} litres diesel, {v2} litres petrol, resupply requested.",
    "Request {v} jerrycans of fuel and {item} for {place} by {time2}.",
    "QRF {callsign} stood up at {time}, moving to {place} via {route}.",
    "QRF {callsign} stood down at {time}, returning to base.",
    "{route} is {state} between {place} and {place2}; use {route2}.",
    "{route} reopened at {time} after route clearance by {callsign}.",
    "ETA of resupply to {place} slips to {time2} because of {route} closure.",
    "Medevac requested for {v} casualties at grid {grid}, landing zone marked.",
    "Medevac complete at {time}, casualties delivered to the clinic at {place}.",
    "Radio check {callsign}: loud and clear on net {net}.",
    "{callsign} lost comms at {time}, last known position grid {grid}.",
    "{callsign} comms restored at {time} on the alternate net {net}.",
    "Water point at {place} is contaminated; distribute {item} and bottled water.",
    "Delivered {v} pallets of {item} to {place}, signed for by {callsign}.",
    "Stock of {item} at {place} below {v} days of supply.",
    "Civilian crowd of about {v} gathering at {place}, mood calm.",
    "Shots heard from the direction of {place} at {time}, no casualties reported.",
    "Bridge at {place} is {state}; {vehicles} over {v} tonnes must detour.",
    "Weather: dust storm expected from {time2}, visibility under {v} metres.",
    "Curfew in {place} from {time} to {time2}, all movement to be coordinated.",
    "Relief of {callsign} by {callsign2} at {place} complete at {time}.",
    "Outpost {place} requests a maintenance team for the generator and the water pump.",
    "Fuel tanker {n} breakdown on {route} near grid {grid}; recovery requested.",
    "Casualty evacuation drill at {place} at {time2}; all teams to attend.",
    "Sitrep {callsign}: {place} quiet, {v} vehicles through checkpoint {cp}, fuel {pct} percent.",
)
FIELD_TRAFFIC_SENTENCES = 400  # distinct sentences the messages are made of


def _grid(rng: random.Random) -> str:
    square = f"{rng.choice('KLMN')}{rng.choice('ABCDEFGH')}"
    return f"38S{square} {rng.randint(0, 99999):05d} {rng.randint(0, 99999):05d}"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}Z"


def sentences(seed: int = 1) -> list[str]:
    """FIELD_TRAFFIC_SENTENCES distinct sentences of field traffic (the same for a seed)."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < FIELD_TRAFFIC_SENTENCES:
        template = rng.choice(TEMPLATES)
        places = rng.sample(PLACES, 2)
        routes = rng.sample(ROUTES, 2)
        callsigns = rng.sample(CALLSIGNS, 2)
        found[
            template.format(
                n=rng.randint(1, 60),
                place=places[0],
                place2=places[1],
                route=routes[0],
                route2=routes[1],
                callsign=callsigns[0],
                callsign2=callsigns[1],
                time=_time(rng),
                time2=_time(rng),
                v=rng.randint(2, 40),
                v2=rng.randint(100, 4000),
                vehicles=rng.choice(VEHICLES),
                item=rng.choice(ITEMS),
                state=rng.choice(STATES),
                cp=rng.randint(1, 30),
                g=rng.randint(1, 9),
                pct=rng.choice((10, 20, 25, 30, 40, 50, 60, 75, 80, 90)),
                grid=_grid(rng),
                net=rng.choice(("ALPHA", "BRAVO", "COMMAND", "LOGS", "MEDICAL")),
            )
        ] = None
    return list(found)


class Traffic:
    """Message texts: 1-4 of the sentences, sometimes with a fresh grid reference or time,
    cut to 4-40 words."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = sentences()

    def text(self) -> str:
        rng = self.rng
        parts = [rng.choice(self.pool) for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4)))]
        if rng.random() < 0.25:  # rare tokens: a fresh grid reference, a time
            parts.append(f"Update {_time(rng)} at grid {_grid(rng)}.")
        words = " ".join(parts).split()
        if len(words) < 4:
            words += ["Acknowledge", "on", "receipt."]
        return " ".join(words[:40])


# -- vaults -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How many messages each channel gets. `general` is the mission-wide channel every vault
    has (its well-known id); the others are made as outpost channels."""

    channels: tuple[tuple[str, int], ...]
    seed: int = 7
    peers: int = 4

    @property
    def total(self) -> int:
        return sum(n for _, n in self.channels)


def build_vault(
    root: Path, layout: Layout, *, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """A vault at `root` (light KDF) with the layout's messages written through the one road,
    `FILL_BATCH` changes a round, channels and authors interleaved. Returns its manifest
    (channel ids by name, counts, seconds taken)."""
    started = time.perf_counter()
    # Each author's clock walks over the same SPAN_DAYS, ending a minute ago (the app's own
    # clock stays ahead), so the authors' messages interleave in time as they would.
    end_ms = int(time.time() * 1000) - 60_000
    span_ms = SPAN_DAYS * 86_400_000
    step = 0.9 * span_ms * (layout.peers + 1) / max(1, layout.total)  # 0.9: never ahead
    wall = _walking_clock(end_ms - span_ms, step)

    session = create_vault(
        root, PASSPHRASE, name="Bench Officer", callsign="BENCH-1", kdf=LIGHT_KDF, wall=wall
    )
    try:
        channel_ids: dict[str, str] = {}
        for name, _ in layout.channels:
            if name == "general":
                channel_ids[name] = DEFAULT_CHANNEL_ID
            else:
                channel_ids[name] = session.channels.create(
                    name, ChannelKind.OUTPOST, description=f"Traffic of {name}"
                )
        writers = [
            session.writer,
            *(
                _peer_writer(session, i, HybridClock(wall=_walking_clock(end_ms - span_ms, step)))
                for i in range(layout.peers)
            ),
        ]
        traffic = Traffic(layout.seed)
        rng = random.Random(layout.seed + 1)
        left = {name: n for name, n in layout.channels}
        names = [name for name, _ in layout.channels]
        others = [p for p in Precedence if p is not Precedence.ROUTINE]
        done, next_report = 0, 0
        while done < layout.total:
            weights = [left[n] for n in names]
            batch: list[list[Change]] = [[] for _ in writers]
            for _ in range(min(FILL_BATCH, layout.total - done)):
                name = rng.choices(names, weights)[0]
                left[name] -= 1
                weights[names.index(name)] -= 1
                level = rng.choice(others) if rng.random() < 0.05 else Precedence.ROUTINE
                message = Message(channel=channel_ids[name], text=traffic.text(), precedence=level)
                change = ("message.create", uuid7(), {"fields": message.model_dump(mode="json")})
                batch[rng.randrange(len(writers))].append(change)
                done += 1
            for writer, changes in zip(writers, batch, strict=True):
                if changes:
                    writer.submit_many(changes)
            if done >= next_report:
                rate = done / (time.perf_counter() - started)
                log(f"  filling: {done:,}/{layout.total:,} messages ({rate:,.0f}/s)")
                next_report += max(layout.total // 10, FILL_BATCH)
    finally:
        session.close()
    manifest = {
        "version": BUILD_VERSION,
        "layout": asdict(layout),
        "channels": channel_ids,
        "seconds": time.perf_counter() - started,
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2), "utf-8")
    return manifest


def _walking_clock(start_ms: float, step_ms: float) -> Callable[[], int]:
    """A wall clock that moves `step_ms` forward each time it is read."""
    now = [start_ms]

    def wall() -> int:
        now[0] += step_ms
        return int(now[0])

    return wall


def _peer_writer(session: Session, index: int, clock: HybridClock) -> OperationWriter:
    """A second writer on the vault, signing as another device: what sync would bring in."""
    keys = DeviceKeys.generate()
    writer = OperationWriter(session.vault, keys, clock, session.changes)
    person_id = uuid7()
    signing_b64, exchange_b64 = keys.public_b64()
    callsign = CALLSIGNS[index % len(CALLSIGNS)]
    device = Device(
        name=f"{callsign} laptop",
        person=person_id,
        signing_key=signing_b64,
        exchange_key=exchange_b64,
    )
    person = Person(name=f"Officer {callsign}", callsign=callsign)
    writer.submit_many(
        [
            ("device.register", keys.device_id, {"fields": device.model_dump(mode="json")}),
            ("person.create", person_id, {"fields": person.model_dump(mode="json")}),
        ]
    )
    return writer


def vault_for(
    layout: Layout, keep: Path | None, tmp: Path, *, log: Callable[[str], None] = print
) -> tuple[Path, dict[str, Any]]:
    """The vault for `layout`: built in `tmp`, or in (and reused from) `keep`."""
    root = (keep if keep is not None else tmp) / f"vault-{layout.total}"
    manifest_file = root / MANIFEST
    if keep is not None and manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text("utf-8"))
        if manifest.get("version") == BUILD_VERSION and manifest.get("layout") == json.loads(
            json.dumps(asdict(layout))
        ):
            log(f"  reusing the vault kept at {root} (built in {manifest['seconds']:.0f} s)")
            return root, manifest
        shutil.rmtree(root)
    elif root.exists():
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    log(f"  building a vault of {layout.total:,} messages at {root} ...")
    manifest = build_vault(root, layout, log=log)
    log(f"  built in {manifest['seconds']:.0f} s ({layout.total / manifest['seconds']:,.0f}/s)")
    return root, manifest


def copy_with_default_kdf(source: Path, target: Path) -> None:
    """A copy of the vault whose key file wraps the same data key with DEFAULT_KDF."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("vault.lock", "backups"))
    session = unlock_vault(target, PASSPHRASE)
    try:
        change_passphrase(session, PASSPHRASE, PASSPHRASE, kdf=DEFAULT_KDF)
    finally:
        session.close()


def database_mib(root: Path) -> float:
    return sum(p.stat().st_size for p in root.glob("vault.db*")) / 2**20


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the benchmarks' child processes: offscreen Qt, src on the path."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("MISSIONDESK_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env
