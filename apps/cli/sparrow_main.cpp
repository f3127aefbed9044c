#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "common/error.h"
#include "common/interrupt.h"

namespace sparrow {
namespace {

// Checks CLI11 leaves to us, for every option of every command: a number option's value must be
// finite (CLI11's ranges let NaN through), and a value may be empty only where the option says
// what an empty value means.
void check_option_values(const CLI::App& sub) {
  for (const CLI::Option* opt : sub.get_options()) {
    const std::string name = opt->get_name();
    for (const std::string& v : opt->results()) {
      if (v.empty() && name != "--synthesis")
        throw_input_error("command line", name, "an empty value", "a non-empty value");
      const std::string type = opt->get_type_name();
      if (type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0) {
        // CLI11 reads 010 as octal 8 and 0x10 as 16: only plain decimal is taken.
        const size_t sign = !v.empty() && (v[0] == '-' || v[0] == '+') ? 1 : 0;
        const std::string digits = v.substr(sign);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
            (digits[0] == '0' && digits.size() > 1))
          throw_input_error("command line", name, "'" + v + "'", "an integer written in decimal");
      }
      if (type.find("FLOAT") != std::string::npos) {
        char* end = nullptr;
        const double x = std::strtod(v.c_str(), &end);
        if (!std::isfinite(x))
          throw_input_error("command line", name, "'" + v + "'", "a finite number");
      }
    }
  }
}

}  // namespace

int sparrow_main(int argc, char** argv) {
  install_interrupt_handlers();
  CLI::App app{
      "sparrow: cycle-accurate model of a row-balanced, dual-ratio sparse LSTM accelerator"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sparrow 0.1.0");
  std::map<CLI::App*, Command> commands;
  for (auto add : {add_run_command, add_compress_command, add_tables_command, add_sweep_command,
                   add_verify_command, add_app_command, add_sensitivity_command,
                   add_regress_command, add_balance_command}) {
    const size_t before = app.get_subcommands({}).size();
    Command cmd = add(app);
    commands[app.get_subcommands({})[before]] = std::move(cmd);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& ch : msg)
      if (ch == '\n') ch = ' ';
    std::cerr << "sparrow: error: command line: " << msg << "; see 'sparrow --help'\n";
    return 2;
  }
  try {
    for (auto& [sub, cmd] : commands)
      if (sub->parsed()) {
        check_option_values(*sub);
        return cmd();
      }
  } catch (const InputError& e) {
    std::cerr << "sparrow: error: " << e.what() << "\n";
    return 2;
  } catch (const RunStopped& e) {
    std::cerr << "sparrow: error: the SystemC model did not finish: " << e.what() << "\n";
    return 3;
  } catch (const std::bad_alloc&) {
    std::cerr << "sparrow: error: out of memory: the run needs more memory than this machine "
                 "gives it; make the workload or the design smaller\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sparrow: internal error: " << e.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace sparrow
