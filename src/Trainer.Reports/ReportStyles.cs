namespace Trainer.Reports;

/// <summary>The reports' inline style sheet: system fonts only, so a report never asks the network for anything.</summary>
internal static class ReportStyles
{
    public const string Css = """
        :root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; --accent: #0969da; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
        main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 1.7em; margin: 0 0 4px; overflow-wrap: anywhere; }
        h1 small { font-size: 0.6em; color: var(--muted); font-weight: normal; }
        h2 { font-size: 1.3em; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 1.1em; margin: 20px 0 8px; }
        a { color: var(--accent); }
        nav.toc { margin: 8px 0 16px; color: var(--muted); }
        nav.toc a { margin-right: 14px; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 16px; margin: 16px 0; }
        dl.facts div { background: var(--bg-alt); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 0; }
        dl.facts dt { font-size: 0.8em; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
        dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        .table-wrap { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        th { white-space: nowrap; }
        td ul { min-width: 16em; margin: 0; padding-left: 1.2em; }
        td.time { white-space: nowrap; }
        th { background: var(--bg-alt); position: sticky; top: 0; }
        tbody tr:nth-child(even) { background: #fbfcfd; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.missing { color: var(--muted); text-align: center; }
        td.best { font-weight: 700; background: #dafbe1; }
        tr.best-epoch { outline: 2px solid #1a7f37; }
        .badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 0.85em; font-weight: 600; background: #eaeef2; vertical-align: middle; }
        .badge.ok { background: #dafbe1; color: #1a7f37; }
        .badge.info { background: #ddf4ff; color: #0969da; }
        .badge.warn { background: #fff8c5; color: #9a6700; }
        .badge.bad { background: #ffebe9; color: #d1242f; }
        .notice { border-left: 4px solid #d4a72c; background: #fff8c5; padding: 8px 12px; margin: 12px 0; border-radius: 0 6px 6px 0; }
        .notice.error { border-color: #d1242f; background: #ffebe9; }
        .notice ul { margin: 4px 0; padding-left: 20px; }
        .plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 480px), 1fr)); gap: 16px; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
        figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { text-align: center; color: var(--muted); font-size: 0.85em; margin-top: 4px; }
        pre { background: var(--bg-alt); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; font-size: 0.85em; max-height: 600px; }
        details.variant { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 6px 12px; }
        details.variant > summary { cursor: pointer; font-size: 1.05em; padding: 4px 0; }
        details.variant[open] > summary { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
        ul.overrides { margin: 0; padding-left: 18px; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
        footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }
        @media (max-width: 600px) { main { padding: 12px; } h1 { font-size: 1.35em; } }
        """;
}
