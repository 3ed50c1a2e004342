"""Benchmark: rendering certificate PDFs with names in several scripts.

Run by hand, never in the test suite:

    .venv/bin/python bench/certificates.py [--count 1000]

Renders COUNT certificates (names in Latin with diacritics, Vietnamese, Greek and Cyrillic,
each with its own code and QR), then the floor: the same pages, text and font with no QR code.
Prints the mean and p95 milliseconds per PDF and the mean file size of both, and the ratio.
Targets: at most 10 ms mean per certificate, at most 1.5x the floor, under 100 KB each.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# No Django needed: the renderer takes plain data and returns bytes.
from certificates import codes, pdf

FIRST = ["Zoë", "Nguyễn Thị", "Κωνσταντίνος", "Оксана", "Łukasz", "Ngô Bảo", "Ελένη", "Дмитрий"]
LAST = ["Ødegård", "Hương", "Παπαδόπουλος", "Коваленко", "Dąbrowski", "Châu", "Οικονόμου", "Попов"]
TARGET_MS, TARGET_RATIO, TARGET_BYTES = 10.0, 1.5, 100_000


def certificates(count: int) -> list[pdf.CertificateData]:
    made = []
    for n in range(count):
        code = codes.new_code()
        made.append(
            pdf.CertificateData(
                organisation="Northwind Contact Services",
                full_name=f"{FIRST[n % len(FIRST)]} {LAST[(n // 3) % len(LAST)]}",
                tier_name=("Tier I", "Tier II", "Tier III")[n % 3],
                tier_rank=n % 3 + 1,
                certified_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 330),
                certified_by="Ольга Смирнова",
                number=codes.certificate_number(2026, n + 1),
                code=codes.grouped(code),
                verify_url=f"https://tracker.example.com/verify/{code}/",
                skills=("Billing disputes (BILL-DISP), level 3", "De-escalation (DEESC), level 2"),
                modules=("Where work comes from and where it goes (WF-101)",),
                other_requirements=("12 cross-training hours", "180 days' service"),
                revoked_on=datetime.date(2026, 12, 1) if n % 50 == 0 else None,
            )
        )
    return made


def measure(
    data: list[pdf.CertificateData],
) -> tuple[list[float], list[int], list[float], list[int]]:
    """Times each certificate, then its floor, one after the other, so both see the same
    machine (caches, clock speed, garbage collection) through the run."""
    pdf.render(data[0])  # the font is read once per process
    no_qr = mock.patch.object(pdf, "qr_path", lambda *args, **kwargs: None)
    times, sizes, floor_times, floor_sizes = [], [], [], []
    for item in data:
        started = time.perf_counter()
        body = pdf.render(item)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(body))
        with no_qr:
            started = time.perf_counter()
            body = pdf.render(item)
            floor_times.append((time.perf_counter() - started) * 1000)
            floor_sizes.append(len(body))
    return times, sizes, floor_times, floor_sizes


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    data = certificates(args.count)

    times, sizes, floor_times, floor_sizes = measure(data)

    mean, floor_mean = statistics.mean(times), statistics.mean(floor_times)
    size = statistics.mean(sizes)
    print(f"certificates rendered     {args.count}")
    print(f"per PDF, mean / p95       {mean:.2f} / {p95(times):.2f} ms")
    print(f"floor (no QR), mean / p95 {floor_mean:.2f} / {p95(floor_times):.2f} ms")
    print(f"ratio to the floor        {mean / floor_mean:.2f}x")
    print(f"file size, mean / max     {size / 1024:.1f} / {max(sizes) / 1024:.1f} KB")
    print(f"floor file size, mean     {statistics.mean(floor_sizes) / 1024:.1f} KB")
    met = mean <= TARGET_MS and mean / floor_mean <= TARGET_RATIO and max(sizes) < TARGET_BYTES
    print(
        f"targets (<= {TARGET_MS:.0f} ms, <= {TARGET_RATIO}x floor, < 100 KB): "
        f"{'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
