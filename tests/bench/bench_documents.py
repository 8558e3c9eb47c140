"""Benchmark: median build time of the consent packet and the visit summary (≥20 builds each).

Run with `.venv/bin/python tests/bench/bench_documents.py [builds]`. Targets: consent packet
< 300 ms, visit summary < 150 ms. Fonts are registered by a warm-up build, as they are once per
process in the app.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import DocumentAssets
from desktop.documents.visit_summary import Audience, build_visit_summary
from desktop.services.catalog.consent_templates import load_document_assets
from tests.documents import samples

TARGETS_MS = {"consent packet": 300.0, "visit summary": 150.0}


def medians_ms(build: Callable[[], bytes], builds: int) -> tuple[float, float, int]:
    """Median wall time and median CPU time of `builds` builds, and the page count. CPU time is
    reported too because a shared machine's load inflates wall time."""
    pages = build().count(b"/Type /Page\n")
    wall, cpu = [], []
    for _ in range(builds):
        started, started_cpu = time.perf_counter(), time.process_time()
        build()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), pages


def cases(assets: DocumentAssets) -> list[tuple[str, str, Callable[[], bytes]]]:
    teen, adult = samples.teen_packet(), samples.adult_packet()
    with_forms = samples.teen_packet(attachments=2)
    visit, adult_visit = (
        samples.visit_data(),
        samples.visit_data(samples.ADULT, can_get_pregnant=False),
    )
    return [
        (
            "consent packet",
            "minor who can get pregnant, 3 forms",
            lambda: build_consent_packet(teen, assets),
        ),
        (
            "consent packet",
            "same + 2 clinic PDFs (3 pages)",
            lambda: build_consent_packet(with_forms, assets),
        ),
        (
            "consent packet",
            "adult who cannot get pregnant, 1 form",
            lambda: build_consent_packet(adult, assets),
        ),
        (
            "visit summary",
            "patient copy, can get pregnant",
            lambda: build_visit_summary(visit, assets, audience=Audience.PATIENT),
        ),
        (
            "visit summary",
            "chart copy, can get pregnant",
            lambda: build_visit_summary(visit, assets, audience=Audience.CHART),
        ),
        (
            "visit summary",
            "patient copy, cannot get pregnant",
            lambda: build_visit_summary(adult_visit, assets, audience=Audience.PATIENT),
        ),
    ]


def main() -> None:
    builds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    assets = load_document_assets()
    print(f"median of {builds} builds each")
    for document, case, build in cases(assets):
        wall, cpu, pages = medians_ms(build, builds)
        verdict = "ok" if wall < TARGETS_MS[document] else "OVER TARGET"
        print(
            f"{document:15} {case:38} {pages:2} pages  wall {wall:6.1f} ms  cpu {cpu:6.1f} ms"
            f"  (target < {TARGETS_MS[document]:.0f} ms: {verdict})"
        )


if __name__ == "__main__":
    main()
