/// The dashboard's style sheet: readable type, visible focus, and colours that keep text contrast.
enum DashboardStyle {
    static let source = """
        [hidden] { display: none !important; }
        :root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d8dee4; --accent: #2f6f9f; }
        body { font: 15px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0; background: #f6f8fa; }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .5rem 1.5rem; background: #fff;
          border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; margin: 0; }
        nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        .node { margin: 0 0 0 auto; color: var(--muted); font-size: .85rem; }
        main { max-width: 80rem; margin: auto; padding: 1rem 1.5rem; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, main:focus { outline: 3px solid #f2b600; outline-offset: 2px; }
        main:focus { outline: none; }
        table { border-collapse: collapse; margin: .5rem 0 1.5rem; background: #fff; }
        caption { text-align: left; color: var(--muted); padding: .25rem 0; }
        th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--line); text-align: left; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        .value { font-family: ui-monospace, monospace; word-break: break-all; }
        .matrix td.cell, .heat td.cell { min-width: 1.1rem; padding: .1rem; text-align: center; font-size: .7rem; }
        .heat td.cell { color: transparent; }
        .matrix th, .heat th { font-size: .75rem; padding: .1rem .25rem; }
        .facts { display: grid; grid-template-columns: max-content auto; gap: .25rem 1rem; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
        figure { margin: 0 0 1.5rem; background: #fff; border: 1px solid var(--line); }
        svg { width: 100%; max-width: 960px; height: auto; font-size: 11px; }
        svg .edge { stroke: #8fb3cf; stroke-width: 1; }
        svg .case { fill: var(--accent); }
        svg .item { fill: #9a3b3b; }
        figcaption { color: var(--muted); padding: .25rem .5rem; }
        #alert:not(:empty) { position: fixed; bottom: 1rem; left: 1rem; right: 1rem; padding: .75rem;
          background: #ffebe9; border: 1px solid #cf222e; }
        #login { max-width: 28rem; display: grid; gap: .5rem; }
        """
}
