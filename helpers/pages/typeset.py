"""TeX in markdown typeset ahead of time into inline SVG by matplotlib's mathtext.

``$...$`` and ``$$...$$`` outside code become images, so math reads the same offline and without
JavaScript; what mathtext cannot typeset is shown as its TeX source.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import re


TEX_FIXES = ((r"\bigg", ""), (r"\Bigg", ""), (r"\big", ""), (r"\Big", ""),
             (r"\ge ", r"\geq "), (r"\le ", r"\leq "), (r"\ne ", r"\neq "))
MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)", re.S)


@functools.lru_cache(maxsize=512)
def tex_to_svg(tex: str, display: bool = False, size: float = 15.0) -> str | None:
    """TeX typeset by matplotlib's mathtext as an inline ``<img>`` (SVG data); None if mathtext fails."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    src = " ".join(tex.split())
    for a, b in TEX_FIXES:
        src = src.replace(a, b)
    src = src.replace(r"\ge$", r"\geq$")
    if src.endswith(r"\ge"):
        src = src[:-3] + r"\geq"
    prop = FontProperties(size=size * (1.1 if display else 1.0))
    try:
        parsed = MathTextParser("path").parse(f"${src}$", dpi=72, prop=prop)
        width, height, depth = parsed.width, parsed.height, parsed.depth
        fig = Figure(figsize=(width / 72, height / 72), dpi=72)
        fig.text(0, depth / height, f"${src}$", fontproperties=prop)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    except Exception:  # mathtext does not know every TeX command: the caller falls back to the source
        return None
    svg = re.sub(r"<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", buf.getvalue()).strip()
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(tex.strip(), quote=True)
    style = f"height:{height:.1f}px;vertical-align:{-depth:.1f}px"
    cls = "math display" if display else "math"
    return f'<img class="{cls}" src="{uri}" alt="{alt}" style="{style}">'


def typeset_markdown(text: str) -> str:
    """Replace ``$...$`` / ``$$...$$`` in markdown (outside code) by typeset SVG images."""
    out = []
    for i, chunk in enumerate(re.split(r"(```.*?```|`[^`\n]*`)", text, flags=re.S)):
        if i % 2:  # code span or fence: left alone
            out.append(chunk)
            continue

        def repl(m: re.Match) -> str:
            display = m.group(1) is not None
            tex = m.group(1) if display else m.group(2)
            img = tex_to_svg(tex, display)
            if img is None:
                return f"<code class='tex'>{html.escape(tex.strip())}</code>"
            return f"\n\n<div class='math-display'>{img}</div>\n\n" if display else img

        out.append(MATH.sub(repl, chunk))
    return "".join(out)
