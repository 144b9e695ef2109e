/// The dashboard's one HTML page: a skeleton that `dashboard.js` fills for the page named in the URL fragment
/// (`#/operations`, `#/operation/ID`, `#/indicator?kind=…&value=…`, `#/peers`).
enum DashboardPage {
    static let html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Weft dashboard</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/dashboard.css">
        <script src="/dashboard.js" defer></script>
        </head>
        <body>
        <header>
        <p class="brand">Weft</p>
        <nav aria-label="Pages">
        <ul>
        <li><a href="#/operations">Operations</a></li>
        <li><a href="#/peers">Peers</a></li>
        </ul>
        </nav>
        <p id="node" class="node"></p>
        </header>
        <main id="main" tabindex="-1">
        <noscript><p>The dashboard needs JavaScript; the same answers are in the analyst API (docs/openapi.json) \
        and in the CLI (weft ops list, weft ops show, weft peers status).</p></noscript>
        </main>
        <div id="alert" role="alert" aria-live="assertive"></div>
        <form id="login" hidden>
        <h1>Analyst token</h1>
        <p>Enter the token that <code>weft analyst add NAME</code> printed. It is kept in this tab only.</p>
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required>
        <button type="submit">Sign in</button>
        </form>
        </body>
        </html>

        """
}
