import ArgumentParser
import WeftStore

/// `weft analyst …`: who may call the analyst API and open the dashboard.
struct AnalystCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyst",
        abstract: "Manage analysts: bearer tokens for the analyst API and dashboard. Every change is audited.",
        subcommands: [AnalystAddCommand.self, AnalystListCommand.self, AnalystRemoveCommand.self])
}

struct AnalystAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an analyst and print their token (shown once; the node keeps only its SHA-256).",
        discussion: """
            The token goes in an Authorization: Bearer header of analyst API requests, or into the dashboard's \
            sign-in form. Works on a running node at once.
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "A name for the analyst (letters, digits, '-', '_', '.').") var name: String

    func run() throws {
        try runReporting {
            let token: String
            do { token = try NodeHome.open(home).store().addAnalyst(named: name) } catch let error as AnalystError {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
            if output.json { return try printJSON(["name": name, "token": token]) }
            print(token)
        }
    }
}

struct AnalystListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List analysts (never tokens).")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let analysts = try NodeHome.open(home).store().analysts()
            if output.json { return try printJSON(analysts) }
            if analysts.isEmpty { return print("no analysts (add one: weft analyst add NAME)") }
            print(
                renderTable(
                    ["NAME", "ADDED", "LAST USED"], analysts.map { [$0.name, $0.addedAt, $0.lastUsedAt ?? "never"] }))
        }
    }
}

struct AnalystRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an analyst; their token stops working at once.")

    @OptionGroup var home: HomeOptions
    @Argument(help: "The analyst's name.") var name: String

    func run() throws {
        try runReporting {
            do { try NodeHome.open(home).store().removeAnalyst(named: name) } catch let error as AnalystError {
                throw CLIFailure(error.reason, status: ExitStatus.dataError)
            }
            print("removed analyst '\(name)'")
        }
    }
}
