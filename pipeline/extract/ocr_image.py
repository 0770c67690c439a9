"""Image work for OCR (`maalspor.extract.ocr`): a scanned page turned straight, its ruling
lines found and painted out, and the ink no word Tesseract read covers (`missed_ink`), found
again so that it can be read once more. Pure numpy and Pillow on a grey image (0-255, y down),
in pixels."""

from __future__ import annotations

from maalspor.settings import OcrSettings

# --- ruling lines in the image ----------------------------------------------------------------


def with_halo(pixels, boxes: list[tuple[int, int, int, int]], settings: OcrSettings):
    """Each ruling grown by the grey a scan blurs around it, so none is left for Tesseract to
    join to the words beside it (a box, and a font size, a third too tall)."""
    limit = max(1, round(settings.ruling_halo * settings.dpi / 72.0))
    height, width = pixels.shape
    for x0, top, x1, bottom in boxes:
        horizontal = x1 - x0 > bottom - top
        for _ in range(limit):
            strip = pixels[top - 1, x0:x1] if horizontal else pixels[top:bottom, x0 - 1]
            if (top if horizontal else x0) == 0 or strip.mean() >= settings.halo_level:
                break
            top, x0 = (top - 1, x0) if horizontal else (top, x0 - 1)
        for _ in range(limit):
            strip = pixels[bottom, x0:x1] if horizontal else pixels[top:bottom, x1]
            if (bottom if horizontal else x1) >= (height if horizontal else width) or (
                strip.mean() >= settings.halo_level
            ):
                break
            bottom, x1 = (bottom + 1, x1) if horizontal else (bottom, x1 + 1)
        yield x0, top, x1, bottom


def deskewed(pixels, settings: OcrSettings):
    """The page turned straight when a scanner fed it askew: a skewed ruling is found in
    pieces at several heights (a table's rows split), and a skewed line of text reads as two.
    The angle is the one whose rows of ink are sharpest (the projection profile with the
    largest variance), searched on a smaller copy of the page."""
    import numpy as np
    from PIL import Image

    limit, step = settings.max_skew, settings.skew_step
    if limit <= 0:
        return pixels
    image = Image.fromarray(pixels)
    factor = max(1, round(settings.dpi / settings.skew_dpi))
    small = Image.fromarray(np.where(pixels < settings.dark_level, 255, 0).astype(np.uint8))
    small = small.reduce(factor)
    best, best_score = 0.0, -1.0
    for index in range(-round(limit / step), round(limit / step) + 1):
        angle = index * step
        turned = np.asarray(small.rotate(angle, resample=Image.Resampling.BILINEAR), float)
        score = float(turned.sum(axis=1).var())
        if score > best_score:
            best, best_score = angle, score
    if abs(best) < step / 2:
        return pixels
    turned = image.rotate(best, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.array(turned)


def find_rulings(pixels, settings: OcrSettings) -> list[tuple[int, int, int, int]]:
    """Horizontal and vertical rulings in a grey image: (x0, top, x1, bottom) in pixels."""
    scale = settings.dpi / 72.0
    ink = pixels < settings.dark_level
    # A scanned line has holes of a pixel here and there (JPEG, thin strokes): close them.
    min_length = round(settings.min_ruling_length * scale)
    max_thickness = max(1, round(settings.max_ruling_thickness * scale))
    horizontal = [
        box
        for box in _merge_runs(_runs(ink, min_length), max_thickness)
        if not _through_text(ink, box, settings)
    ]
    # A cell's side may be shorter (a row of one line, the rest of a row over a page break):
    # a short vertical counts when it runs from one horizontal ruling to another, as no
    # letter's stroke does.
    short = max(1, round(settings.min_cell_ruling_length * scale))
    vertical = []
    for top, x0, bottom, x1 in _merge_runs(_runs(ink.T, short), max_thickness):  # transposed
        box = (x0, top, x1, bottom)
        if bottom - top >= min_length or _between_rulings(box, horizontal, max_thickness):
            vertical.append(box)
    return [*horizontal, *vertical]


def fill_edges(pixels, settings: OcrSettings) -> list[tuple[int, int, int, int]]:
    """The edges of filled boxes (a designed table's grey cells) as rulings, one pixel thick:
    to OCR a fill is paper, and the white gap between two boxes is no ruling, so without them
    the rows of a filled table run together. An edge is a run, at least a ruling's length, where
    grey fill (lighter than ink, darker than `paper_level`) meets paper, with fill along
    `fill_band` points on its inner side (the edge of a picture or of dark print does not
    count). A shorter vertical edge counts between two horizontal ones, as for rulings."""
    import numpy as np

    scale = settings.dpi / 72.0
    filled = pixels < settings.paper_level
    grey = filled & (pixels >= settings.dark_level)
    band = max(1, round(settings.fill_band * scale))
    min_length = round(settings.min_ruling_length * scale)
    short = max(1, round(settings.min_cell_ruling_length * scale))

    steps = max(1, round(settings.fill_edge_steps * scale))
    slack = max(1, round(settings.max_ruling_thickness * scale))

    def edges(mask, tint, length: int) -> list[tuple[int, int, int, int]]:
        """(x0, top, x1, bottom) along axis 1 of the places where `mask` begins or ends along
        axis 0; an edge a scan left a pixel askew here and there is joined up by widening each
        edge pixel `steps` pixels either way along axis 0."""
        found = []
        rows = mask.shape[0]
        for inner_side in (1, -1):
            shifted = np.zeros_like(mask)
            if inner_side == 1:  # paper before, fill from here on
                shifted[1:] = mask[:-1]
            else:  # fill up to here, paper after
                shifted[:-1] = mask[1:]
            edge = mask & ~shifted
            wide = edge.copy()
            for step in range(1, steps + 1):
                wide[step:] |= edge[:-step]
                wide[:-step] |= edge[step:]
            for x0, top, x1, bottom in _merge_runs(_runs(wide, length), slack + 2 * steps):
                middle = (top + bottom) // 2
                lo, hi = (middle, middle + band) if inner_side == 1 else (middle - band, middle)
                inside = tint[max(0, lo) : min(rows, hi), x0:x1]
                if inside.size and inside.mean() >= settings.fill_edge_min_share:
                    found.append((x0, middle, x1, middle + 1))
        # The rows of a widened edge give pieces of it beside the whole: only the whole is kept.
        kept: list[tuple[int, int, int, int]] = []
        for box in sorted(found, key=lambda b: b[0] - b[2]):  # longest first
            if not any(
                k[0] - slack <= box[0]
                and box[2] <= k[2] + slack
                and abs(k[1] - box[1]) <= 2 * steps
                for k in kept
            ):
                kept.append(box)
        return kept

    horizontal = edges(filled, grey, min_length)
    vertical = []
    for top, x0, bottom, x1 in edges(filled.T, grey.T, short):  # transposed back
        box = (x0, top, x1, bottom)
        if bottom - top >= min_length or _between_rulings(box, horizontal, slack + steps):
            vertical.append(box)
    return [*horizontal, *vertical]


def _through_text(ink, box: tuple[int, int, int, int], settings: OcrSettings) -> bool:
    """Whether a horizontal run of ink is letters, not a ruling: at 150 dpi the crossbars of a
    bold word ("entation") blur into one run as long as a short ruling, but letters stand
    above and below it, where a ruling has paper (a double ruling has ink on one side only)."""
    x0, top, x1, bottom = box
    reach = max(1, round(settings.ruling_side_reach * settings.dpi / 72.0))
    height = ink.shape[0]
    above = ink[max(0, top - reach) : top, x0:x1].any(axis=0).mean() if top > 0 else 0.0
    below = ink[bottom : min(height, bottom + reach), x0:x1].any(axis=0).mean()
    return bool(min(above, below) > settings.ruling_max_side_ink)


def _between_rulings(
    vertical: tuple[int, int, int, int], horizontal: list[tuple[int, int, int, int]], slack: int
) -> bool:
    """Whether a vertical ruling's two ends meet horizontal rulings."""
    x0, top, x1, bottom = vertical

    def meets(y: int) -> bool:
        return any(
            h[0] - slack <= x0 and x1 <= h[2] + slack and h[1] - slack <= y <= h[3] + slack
            for h in horizontal
        )

    return meets(top) and meets(bottom)


def _runs(ink, min_length: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of each run of ink at least min_length long, one-pixel gaps bridged."""
    import numpy as np

    bridged = ink.copy()
    bridged[:, 1:-1] |= ink[:, :-2] & ink[:, 2:]
    padded = np.zeros((bridged.shape[0], bridged.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = bridged
    changes = np.diff(padded, axis=1)
    rows_start, starts = np.nonzero(changes == 1)
    _, ends = np.nonzero(changes == -1)
    # Starts and ends pair up in order (row-major), one end per start.
    long = ends - starts >= min_length
    return list(
        zip(rows_start[long].tolist(), starts[long].tolist(), ends[long].tolist(), strict=True)
    )


def _merge_runs(
    runs: list[tuple[int, int, int]], max_thickness: int
) -> list[tuple[int, int, int, int]]:
    """Runs on adjacent rows that overlap become one ruling; thick ones (pictures) are dropped."""
    open_lines: list[list[int]] = []  # [x0, top, x1, bottom]
    done: list[list[int]] = []
    for row, start, end in runs:  # row-major order
        still_open = []
        for line in open_lines:
            (done if line[3] < row else still_open).append(line)
        open_lines = still_open
        for line in open_lines:
            overlap = min(line[2], end) - max(line[0], start)
            if line[3] == row and overlap > 0.5 * min(line[2] - line[0], end - start):
                line[0], line[2], line[3] = min(line[0], start), max(line[2], end), row + 1
                break
        else:
            open_lines.append([start, row, end, row + 1])
    done.extend(open_lines)
    return [(x0, top, x1, bottom) for x0, top, x1, bottom in done if bottom - top <= max_thickness]


# --- ink no word covers -------------------------------------------------------------------------


def missed_ink(
    ink, covered: list[tuple[int, int, int, int]], settings: OcrSettings
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom; pixels) of ink that no box in `covered` holds and that is the
    size of printed text: Tesseract's layout analysis now and then leaves a short word alone
    (a table's header label on a fill, a lone cell) out of every block it reads.

    The ink left once the covered boxes (grown by `missed_pad`) are cleared is counted in square
    cells `missed_cell` points wide; cells with ink join their neighbours (side by side across
    one empty cell, as the letters of a word do) into regions, and a region counts when its
    height and width are a word's (`missed_min_height` to `missed_max_height`, at least
    `missed_min_width`) and ink fills at least `missed_min_ink` of it (specks of paper noise
    do not)."""
    import numpy as np

    scale = settings.dpi / 72.0
    left = ink.copy()
    pad = round(settings.missed_pad * scale)
    for x0, top, x1, bottom in covered:
        left[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad] = False
    if not left.any():
        return []
    cell = max(1, round(settings.missed_cell * scale))
    height, width = left.shape
    rows, cols = -(-height // cell), -(-width // cell)
    padded = np.zeros((rows * cell, cols * cell), dtype=bool)
    padded[:height, :width] = left
    counts = padded.reshape(rows, cell, cols, cell).sum(axis=(1, 3))
    occupied = counts >= settings.missed_cell_ink
    joined = occupied.copy()
    joined[:, 1:-1] |= occupied[:, :-2] & occupied[:, 2:]  # a gap of one cell inside a word
    seen = np.zeros_like(joined)
    regions = []
    for start in zip(*np.nonzero(joined), strict=True):
        if seen[start]:
            continue
        seen[start] = True
        stack, members = [start], []
        while stack:
            r, c = stack.pop()
            members.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    nr, nc = r + dr, c + dc
                    if 0 <= nr < rows and 0 <= nc < cols and joined[nr, nc] and not seen[nr, nc]:
                        seen[nr, nc] = True
                        stack.append((nr, nc))
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members) + 1
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members) + 1
        box = left[r0 * cell : r1 * cell, c0 * cell : c1 * cell]
        ys, xs = np.nonzero(box)
        if not len(ys):
            continue
        x0, x1 = c0 * cell + int(xs.min()), c0 * cell + int(xs.max()) + 1
        top, bottom = r0 * cell + int(ys.min()), r0 * cell + int(ys.max()) + 1
        tall, wide = (bottom - top) / scale, (x1 - x0) / scale
        share = len(ys) / max(1, (bottom - top) * (x1 - x0))
        if (
            settings.missed_min_height <= tall <= settings.missed_max_height
            and wide >= settings.missed_min_width
            and share >= settings.missed_min_ink
        ):
            regions.append((x0, top, x1, bottom))
    return sorted(regions, key=lambda b: (b[1], b[0]))
