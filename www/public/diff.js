// Line diff (longest common subsequence) of two texts, for the playground and the story.

/** Splits text into lines, whatever the line ends (CRLF, LF or CR). */
export function splitLines(text) {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Largest input (lines on each side) diffed line by line; beyond it the whole text is replaced. */
const MAX_LINES = 3000;

/**
 * The edit script from `before` to `after`: `{ op, line }` with op " " (kept), "-" (removed) or
 * "+" (added), in order.
 */
export function lineDiff(before, after) {
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return [...a.map((line) => ({ op: "-", line })), ...b.map((line) => ({ op: "+", line }))];
  }
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: " ", line: a[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push({ op: "-", line: a[i++] });
    } else {
      out.push({ op: "+", line: b[j++] });
    }
  }
  while (i < a.length) out.push({ op: "-", line: a[i++] });
  while (j < b.length) out.push({ op: "+", line: b[j++] });
  return out;
}

/** Renders a diff into `pre` as one span per line (class added / removed / same). */
export function renderDiff(pre, diff) {
  pre.replaceChildren();
  const changed = diff.filter((d) => d.op !== " ").length;
  pre.dataset.changes = String(changed);
  for (const { op, line } of diff) {
    const span = document.createElement("span");
    span.className = op === "+" ? "added" : op === "-" ? "removed" : "same";
    span.textContent = `${op} ${line}\n`;
    pre.append(span);
  }
  if (changed === 0) pre.append("(no line changed)\n");
}
