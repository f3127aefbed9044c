// The `sparrow` command line: one executable, a subcommand per job. Each command registers its
// options on a CLI11 subcommand and runs when that subcommand was given.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace sparrow {

using Command = std::function<int()>;

Command add_run_command(CLI::App& app);
Command add_compress_command(CLI::App& app);
Command add_tables_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_app_command(CLI::App& app);
Command add_sensitivity_command(CLI::App& app);
Command add_verify_command(CLI::App& app);
Command add_regress_command(CLI::App& app);
Command add_balance_command(CLI::App& app);

// Runs argv; returns the exit status (0 ok, 2 bad input, 3 model mismatch or a cycle-level run
// stopped by the watchdog, 1 internal error).
int sparrow_main(int argc, char** argv);

}  // namespace sparrow
