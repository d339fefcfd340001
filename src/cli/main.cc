// The `solidum` command: serve, migrate, demo, user add, token create.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "cli/operations.h"
#include "cli/progress.h"
#include "cli/clear.h"
#include "cli/schedule.h"
#include "cli/surplus.h"
#include "cli/tally.h"
#include "governance/assemblies.h"
#include "governance/ballots.h"
#include "governance/members.h"
#include "mail/outbox.h"
#include "http/app.h"
#include "http/server.h"
#include "http/static_files.h"
#include "identity/identity.h"
#include "registry/demo.h"
#include "registry/export.h"
#include "registry/networks.h"
#include "registry/open_data.h"
#include "registry/organisations.h"
#include "registry/terms.h"
#include "store/store.h"

namespace solidum::cli {
namespace {

struct Globals {
  std::string db = "sqlite:./data/solidum.db";
  std::string log_level = "info";
};

Result<std::unique_ptr<store::Store>> OpenMigrated(const Globals& g, int pool_size) {
  return OpenAndMigrate(g.db, pool_size);
}

// Reads a password without echo from the terminal, or one line from stdin.
Result<std::string> ReadPassword(bool from_stdin) {
  std::string pw;
  if (from_stdin) {
    if (!std::getline(std::cin, pw)) return Error::Invalid("--password-stdin", "required", "No password on standard input.");
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    return pw;
  }
  if (!isatty(STDIN_FILENO)) {
    return Error::Invalid("--password-stdin", "required",
                          "Standard input is not a terminal: pass --password-stdin and pipe the password in.");
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::string again;
  std::fprintf(stderr, "Password: ");
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::getline(std::cin, pw);
  std::fprintf(stderr, "\nPassword again: ");
  std::getline(std::cin, again);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  if (pw != again) return Error::Invalid("password", "mismatch", "The two passwords differ.");
  return pw;
}

int LoadDemo(registry::Organisations& orgs, registry::Networks& networks, int count, std::uint64_t seed) {
  auto demo = registry::Demo(count, seed);
  auto ids = orgs.CreateMany(demo.organisations);
  if (!ids.ok()) return Fail(ids.error());
  std::vector<registry::Networks::NewMembership> memberships;
  memberships.reserve(demo.memberships.size());
  for (const auto& m : demo.memberships) {
    memberships.push_back({(*ids)[m.member], (*ids)[m.network], m.role, m.start_date, m.end_date});
  }
  if (auto r = networks.RecordMemberships(memberships); !r.ok()) return Fail(r.error());
  spdlog::info("demo: created {} organisations, {} of them networks, and {} memberships (seed {})", ids->size(),
               demo.networks, memberships.size(), seed);
  return 0;
}

void SetUpLogging(const Globals& g) {
  auto level = spdlog::level::from_str(g.log_level);
  auto err = spdlog::stderr_logger_mt("solidum");
  err->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(err);
  spdlog::set_level(level);
}

// Reads the file, imports it, prints a summary and each rejected row. Exit code 1 when any
// row was rejected (the others are kept), 2 when the file cannot be read at all.
int RunImport(store::Store& store, identity::Identity& identity, const std::string& format, const std::string& path,
              std::string source, const std::vector<std::string>& maps) {
  std::vector<std::pair<std::string, std::string>> mapping;
  for (const auto& m : maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "solidum: --map %s: write it 'Header=field' (or 'Header=' to leave a column out)\n", m.c_str());
      return 2;
    }
    mapping.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > registry::kImportFileBytesMax) {
    std::fprintf(stderr, "solidum: %s: %s\n", path.c_str(), ec ? ec.message().c_str() : "larger than 256 MiB");
    return 2;
  }
  std::string data(size, '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (source.empty()) source = std::filesystem::path(path).stem().string();
  registry::Organisations orgs(store, identity, SystemClock::Instance());
  auto terms = orgs.Terms();
  if (!terms.ok()) return Fail(terms.error());
  auto parsed = registry::ReadOpenData(format, data, source, mapping, *terms);
  if (!parsed.ok()) {
    std::fprintf(stderr, "solidum: %s: %s\n", path.c_str(), parsed.error().message.c_str());
    return 2;
  }
  if (!parsed->ignored.empty()) {
    std::string list;
    for (const auto& c : parsed->ignored) list += (list.empty() ? "" : ", ") + c;
    std::fprintf(stderr, "solidum: %s: not imported (no field takes them; see --map): %s\n", path.c_str(), list.c_str());
  }
  ProgressBar bar;
  std::size_t total = parsed->rows.size();
  auto progress = [&](std::size_t done) { bar.Show("importing", done, total); };
  auto summary = orgs.Import(parsed->rows, progress);
  if (!summary.ok()) {
    std::fprintf(stderr, "solidum: import stopped: %s\n", summary.error().message.c_str());
    return 2;
  }
  std::optional<registry::RelationshipImportSummary> related;
  if (!parsed->relationships.empty()) {
    registry::Networks networks(store, SystemClock::Instance());
    auto r = networks.Import(parsed->relationships);
    if (!r.ok()) {
      std::fprintf(stderr, "solidum: relationships not imported: %s\n", r.error().message.c_str());
      return 2;
    }
    related = std::move(*r);
    for (auto& [line, why] : related->left_out) parsed->warnings.push_back({line, std::move(why)});
  }
  std::vector<registry::RowRejection> rejected = parsed->rejected;
  rejected.insert(rejected.end(), summary->rejected.begin(), summary->rejected.end());
  std::sort(rejected.begin(), rejected.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  std::vector<registry::RowRejection> warnings = parsed->warnings;
  warnings.insert(warnings.end(), summary->warnings.begin(), summary->warnings.end());
  std::stable_sort(warnings.begin(), warnings.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  for (const auto& w : warnings) std::fprintf(stderr, "%s:%zu: warning: %s\n", path.c_str(), w.line, w.reason.c_str());
  for (const auto& r : rejected) std::fprintf(stderr, "%s:%zu: rejected: %s\n", path.c_str(), r.line, r.reason.c_str());
  std::printf("read %zu, created %zu, updated %zu, unchanged %zu, rejected %zu\n", parsed->read, summary->created,
              summary->updated, summary->unchanged, rejected.size());
  if (related) {
    std::printf("relationships read %zu, created %zu, updated %zu, unchanged %zu, left out %zu\n",
                parsed->relationships.size(), related->created, related->updated, related->unchanged,
                related->left_out.size());
  }
  if (!warnings.empty()) std::printf("%zu values left out (see the warnings)\n", warnings.size());
  return rejected.empty() ? 0 : 1;
}

// Streams the register out in `format`, a page of organisations at a time; to a temporary
// file renamed at the end, so that a failed export leaves no half file.
int RunExport(store::Store& store, identity::Identity& identity, const std::string& format, const std::string& path) {
  registry::Organisations orgs(store, identity, SystemClock::Instance());
  auto exporter = registry::MakeExporter(format);
  std::string tmp = path.empty() ? "" : path + ".tmp";
  std::FILE* out = path.empty() ? stdout : std::fopen(tmp.c_str(), "wb");
  if (!out) {
    std::fprintf(stderr, "solidum: %s: %s\n", tmp.c_str(), std::strerror(errno));
    return 2;
  }
  std::string buf;
  auto flush = [&]() -> Result<void> {
    if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
      return Error::Make(ErrorKind::kInternal, "write_failed", std::strerror(errno));
    }
    buf.clear();
    return Ok();
  };
  registry::Networks networks(store, SystemClock::Instance());
  auto relationships = networks.ForExport();
  if (!relationships.ok()) return Fail(relationships.error());
  std::unordered_map<std::int64_t, std::vector<registry::ExportRelationship>> by_subject;
  for (auto& x : *relationships) by_subject[x.subject].push_back(std::move(x));
  const std::vector<registry::ExportRelationship> none;
  exporter->Begin(buf);
  std::size_t count = 0;
  auto r = orgs.ForEach([&](const std::vector<registry::Organisation>& page) -> Result<void> {
    for (const auto& o : page) {
      auto it = by_subject.find(o.id);
      exporter->Add(o, it == by_subject.end() ? none : it->second, buf);
    }
    count += page.size();
    return flush();
  });
  exporter->End(buf);
  if (r.ok()) r = flush();
  if (path.empty()) {
    std::fflush(out);
  } else {
    bool closed = std::fclose(out) == 0;
    if (r.ok() && closed && std::rename(tmp.c_str(), path.c_str()) == 0) {
      std::fprintf(stderr, "exported %zu organisations to %s\n", count, path.c_str());
      return 0;
    }
    std::remove(tmp.c_str());
    if (r.ok()) r = Error::Make(ErrorKind::kInternal, "write_failed", std::strerror(errno));
  }
  if (!r.ok()) return Fail(r.error());
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Solidum: the open platform for the social and solidarity economy."};
  app.require_subcommand(1);
  app.fallthrough();
  Globals g;
  app.add_option("--db", g.db, "Store URL: sqlite:PATH or postgresql://...")->envname("SOLIDUM_DB")->capture_default_str();
  app.add_option("--log-level", g.log_level, "trace, debug, info, warn, error")->envname("SOLIDUM_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))->capture_default_str();

  // serve
  auto* serve = app.add_subcommand("serve", "Serve the API and the web app");
  http::ServerConfig server_config;
  http::HttpConfig http_config;
  std::string port_file;
  bool demo_if_empty = false, no_access_log = false;
  int demo_orgs = 2000;
  serve->add_option("--listen", server_config.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("SOLIDUM_LISTEN")->capture_default_str();
  serve->add_option("--web-root", http_config.web_root, "Directory of the built web app")->envname("SOLIDUM_WEB_ROOT");
  serve->add_option("--tile-url", http_config.tile_url,
                    "Raster tiles under the map, for installations online: https://.../{z}/{x}/{y}.png")
      ->envname("SOLIDUM_TILE_URL")
      ->check([](const std::string& url) {
        return http::IsTileUrl(url) ? std::string() : std::string("an https URL with {z}, {x} and {y} is expected");
      });
  serve->add_option("--io-threads", server_config.io_threads, "Network threads (0: one per core)")->envname("SOLIDUM_IO_THREADS");
  serve->add_option("--workers", server_config.worker_threads, "Threads for writes (they wait there for their group commit) and password hashing (one per core at most)")
      ->envname("SOLIDUM_WORKERS")->check(CLI::Range(1, 256))->capture_default_str();
  serve->add_option("--idle-timeout", server_config.idle_timeout_seconds, "Seconds a keep-alive connection may wait for its next request")
      ->envname("SOLIDUM_IDLE_TIMEOUT")->check(CLI::Range(1, 3600))->capture_default_str();
  serve->add_option("--read-timeout", server_config.read_timeout_seconds, "Seconds a client has to send one request, or to take one answer")
      ->envname("SOLIDUM_READ_TIMEOUT")->check(CLI::Range(1, 3600))->capture_default_str();
  serve->add_option("--port-file", port_file, "Write the bound port to this file once listening");
  std::string public_url;
  mail::SmtpConfig smtp;
  smtp.from_name = "Solidum";
  int mail_poll_ms = 1000;
  int digest_poll_ms = 300'000;
  serve->add_option("--public-url", public_url, "The address members reach this server at, for the links in emails (default: the listening address)")
      ->envname("SOLIDUM_PUBLIC_URL");
  serve->add_option("--smtp-url", smtp.url, "SMTP server for notices: smtp://host:587 (STARTTLS) or smtps://host:465; none: emails stay queued")
      ->envname("SOLIDUM_SMTP_URL")
      ->check([](const std::string& url) {
        return url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0 ? std::string() : std::string("smtp://... or smtps://... is expected");
      });
  serve->add_option("--smtp-user", smtp.user, "SMTP user (the password comes from SOLIDUM_SMTP_PASSWORD only)")->envname("SOLIDUM_SMTP_USER");
  serve->add_option("--mail-from", smtp.from, "The sender's address of the emails")->envname("SOLIDUM_MAIL_FROM");
  serve->add_option("--mail-from-name", smtp.from_name, "The sender's name")->envname("SOLIDUM_MAIL_FROM_NAME")->capture_default_str();
  serve->add_option("--mail-poll-ms", mail_poll_ms, "How often the courier looks for emails to send")
      ->envname("SOLIDUM_MAIL_POLL_MS")->check(CLI::Range(10, 60000))->capture_default_str();
  serve->add_option("--digest-poll-ms", digest_poll_ms, "How often the communities' digests due are written to the outbox")
      ->envname("SOLIDUM_DIGEST_POLL_MS")->check(CLI::Range(10, 3'600'000))->capture_default_str();
  serve->add_flag("--demo-if-empty", demo_if_empty, "Load demo data when the register is empty");
  serve->add_option("--demo-orgs", demo_orgs, "Organisations for --demo-if-empty")->capture_default_str();
  serve->add_flag("--secure-cookies", http_config.secure_cookies, "Mark cookies Secure (TLS ends at a proxy)")
      ->envname("SOLIDUM_SECURE_COOKIES");
  serve->add_flag("--trust-proxy", server_config.trust_proxy, "Trust X-Forwarded-For and X-Forwarded-Proto")
      ->envname("SOLIDUM_TRUST_PROXY");
  serve->add_flag("--no-access-log", no_access_log, "Do not write the access log")->envname("SOLIDUM_NO_ACCESS_LOG");

  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");

  auto* demo = app.add_subcommand("demo", "Add deterministic demo data to the register");
  std::uint64_t seed = 1;
  demo->add_option("--orgs", demo_orgs, "Number of organisations")->check(CLI::Range(0, 10'000'000))->capture_default_str();
  demo->add_option("--seed", seed, "Seed: the same seed gives the same data")->capture_default_str();

  auto* import = app.add_subcommand("import", "Import organisations from an open-data file");
  std::string import_format, import_file, import_source;
  std::vector<std::string> import_maps;
  import->add_option("--format", import_format, "essglobal-csv, csv (any spreadsheet), geojson or murmurations")
      ->required()
      ->check(CLI::IsMember(registry::ImportFormats()));
  import->add_option("--map", import_maps,
                     "For csv: take column Header as field ('Header=field'; 'Header=' leaves it out); repeatable");
  import->add_option("FILE", import_file, "The file to import")->required()->check(CLI::ExistingFile);
  import->add_option("--source", import_source,
                     "Name of the source; imports are idempotent by source and row identifier "
                     "(default: the file name without its extension)");

  auto* copy = app.add_subcommand("copy", "Copy a whole installation to another store, verified table by table");
  std::string copy_from, copy_to;
  copy->add_option("--from", copy_from, "The store to copy: sqlite:PATH or postgresql://...")->required();
  copy->add_option("--to", copy_to, "A new, empty store (migrated first): sqlite:PATH or postgresql://...")->required();

  auto* backup = app.add_subcommand("backup", "Back up a SQLite store while it serves (PostgreSQL: see docs/operations.md)");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "The backup file to write (a SQLite database)")->required();

  auto* checksums = app.add_subcommand("checksums", "Print each table's row count and checksum (to compare stores)");

  auto* export_cmd = app.add_subcommand("export", "Write the register as open data");
  std::string export_format, export_file;
  export_cmd->add_option("--format", export_format, "essglobal-csv, geojson (every field) or murmurations")
      ->required()
      ->check(CLI::IsMember(registry::ExportFormats()));
  export_cmd->add_option("--output,-o", export_file, "Write to this file (default: standard output)");

  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user");
  std::string email, display_name;
  bool admin = false, password_stdin = false;
  user_add->add_option("EMAIL", email, "The user's email")->required();
  user_add->add_option("--name", display_name, "Display name");
  user_add->add_flag("--admin", admin, "Make the user a platform admin");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Print a new API token for a user");
  std::string label = "cli";
  token_create->add_option("EMAIL", email, "The user's email")->required();
  token_create->add_option("--label", label, "What the token is for")->capture_default_str();

  auto* tally_cmd = app.add_subcommand("tally", "Count an election from a BLT ballot file");
  TallyArgs tally_args;
  tally_cmd->add_option("FILE", tally_args.file, "The BLT file")->required();
  tally_cmd->add_option("--method", tally_args.method, "scottish, meek, wigm, irv, plurality, block or approval")
      ->check(CLI::IsMember({"scottish", "meek", "wigm", "irv", "plurality", "block", "approval"}))->capture_default_str();
  tally_cmd->add_option("--seats", tally_args.seats, "Seats to fill (default: the file's)")->check(CLI::Range(1, 1000));
  tally_cmd->add_option("--format", tally_args.format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}))->capture_default_str();
  tally_cmd->add_option("--seed", tally_args.seed, "Seed of the draw that breaks ties nothing else breaks")->capture_default_str();
  tally_cmd->add_option("--output,-o", tally_args.output, "Write to this file (default: standard output)");

  auto* clear_cmd = app.add_subcommand("clear", "Multilateral set-off of a CSV file of obligations (debtor,creditor,amount[,id][,due])");
  ClearArgs clear_args;
  clear_cmd->add_option("FILE", clear_args.file, "The obligations (- for standard input)")->required();
  clear_cmd->add_option("--format", clear_args.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  clear_cmd->add_option("--remaining", clear_args.remaining, "Write the obligations left after the set-off to this CSV file");
  clear_cmd->add_option("--firms", clear_args.firms, "Write each firm's set-off to this CSV file");

  auto* schedule_cmd = app.add_subcommand("schedule", "A loan's schedule of instalments from its terms");
  ScheduleArgs schedule_args;
  schedule_cmd->add_option("--principal", schedule_args.principal, "The amount lent, in minor units (1000000)")->required();
  schedule_cmd->add_option("--rate", schedule_args.rate, "Interest, a fraction a year (0.06)")->capture_default_str();
  schedule_cmd->add_option("--periods", schedule_args.periods, "How many instalments, grace periods included")->capture_default_str();
  schedule_cmd->add_option("--method", schedule_args.method, "declining-equal-instalment, declining-equal-principal, flat or zero")
      ->check(CLI::IsMember({"declining-equal-instalment", "declining-equal-principal", "flat", "zero"}))->capture_default_str();
  schedule_cmd->add_option("--period", schedule_args.period, "monthly, quarterly or weekly")
      ->check(CLI::IsMember({"weekly", "monthly", "quarterly"}))->capture_default_str();
  schedule_cmd->add_option("--grace-principal", schedule_args.grace_principal, "First periods with no principal due")->capture_default_str();
  schedule_cmd->add_option("--grace-interest", schedule_args.grace_interest, "First periods with no interest due either")->capture_default_str();
  schedule_cmd->add_option("--grace-interest-rule", schedule_args.grace_interest_rule, "waived, deferred or capitalised")
      ->check(CLI::IsMember({"waived", "deferred", "capitalised"}))->capture_default_str();
  schedule_cmd->add_option("--start", schedule_args.start, "The loan's start, YYYY-MM-DD (default: today); the first instalment is due a period later");
  schedule_cmd->add_option("--decimals", schedule_args.decimals, "The currency's decimals, for the text and CSV formats")->capture_default_str();
  schedule_cmd->add_option("--format", schedule_args.format, "text, csv or json")->check(CLI::IsMember({"text", "csv", "json"}))->capture_default_str();

  auto* surplus_cmd = app.add_subcommand("surplus", "A year-end surplus allocation from the statutes' rules and the members' activity");
  SurplusArgs surplus_args;
  surplus_cmd->add_option("RULES", surplus_args.rules, "The rules, JSON: surplus, reserve_bp, fund_bp, share_interest_bp, refunds_bp...")->required();
  surplus_cmd->add_option("ACTIVITY", surplus_args.activity, "Members' activity, CSV: member,capital,patronage[,name] (- for standard input)")->required();
  surplus_cmd->add_option("--surplus", surplus_args.surplus, "The distributable surplus in minor units, instead of the rules' own");
  surplus_cmd->add_option("--decimals", surplus_args.decimals, "The currency's decimals, for the text format")->capture_default_str();
  surplus_cmd->add_option("--format", surplus_args.format, "text, csv or json")->check(CLI::IsMember({"text", "csv", "json"}))->capture_default_str();
  surplus_cmd->add_option("--output,-o", surplus_args.output, "Write to this file (default: standard output)");

  CLI11_PARSE(app, argc, argv);
  if (schedule_cmd->parsed()) return RunSchedule(schedule_args);
  if (surplus_cmd->parsed()) return RunSurplus(surplus_args);
  if (tally_cmd->parsed()) return RunTally(tally_args);
  if (clear_cmd->parsed()) return RunClear(clear_args);
  http_config.access_log = !no_access_log;
  SetUpLogging(g);

  const Clock& clock = SystemClock::Instance();

  if (migrate->parsed()) {
    auto store = OpenMigrated(g, 1);
    if (!store.ok()) return Fail(store.error());
    auto v = (*store)->SchemaVersion();
    std::printf("schema version %d\n", v.ok() ? *v : -1);
    return 0;
  }

  if (serve->parsed()) {
    int io = server_config.io_threads > 0 ? server_config.io_threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    // Workers mostly wait (for a group commit, a hashing slot): a connection each would
    // crowd PostgreSQL for nothing. When all are taken, a request waits for one.
    auto store = OpenMigrated(g, io + std::min(server_config.worker_threads, 8) + 2);
    if (!store.ok()) return Fail(store.error());
    identity::Identity identity(**store, clock);
    registry::Organisations orgs(**store, identity, clock);
    registry::Networks networks(**store, clock);
    if (demo_if_empty) {
      auto n = orgs.Count();
      if (!n.ok()) return Fail(n.error());
      if (*n == 0) {
        if (int rc = LoadDemo(orgs, networks, demo_orgs, seed); rc != 0) return rc;
      }
    }
    if (auto r = orgs.WarmUp(); !r.ok()) return Fail(r.error());
    if (smtp.configured() && !mail::IsValidAddress(smtp.from)) {
      return Fail(Error::Invalid("--mail-from", "required", "--smtp-url needs --mail-from: the sender's address, such as assemblies@coop.example."));
    }
    if (const char* pw = std::getenv("SOLIDUM_SMTP_PASSWORD")) smtp.password = pw;
    // Links in emails: the public address, known once listening when not configured.
    std::string links_url = public_url;
    governance::Members members(**store, clock);
    governance::Ballots ballots(**store, clock, links_url);
    governance::Assemblies assemblies(**store, clock, links_url);
    ledger::Ledger ledger(**store, clock);
    listings::Listings listings(**store, clock);
    clearing::Runs setoff_runs(**store, clock);
    ledger::LinkProposals link_proposals(**store, clock, ledger);
    finance::Funds funds(**store, ledger);
    finance::Loans loans(**store, ledger, clock);
    finance::Shares shares(**store, ledger, clock);
    finance::Allocations allocations(**store, ledger, shares, clock);
    finance::SavingsGroups savings_groups(**store, ledger, clock);
    finance::Tontines tontines(**store, clock);
    finance::GroupLoans group_loans(**store, loans, clock);
    attachments::Attachments attachments(**store, clock);
    library::Library library(**store, clock);
    events::Events events(**store, clock, links_url);
    communities::Communities communities(**store, clock, links_url);
    if (auto started = ledger.Start(); !started.ok()) return Fail(started.error());
    if (auto started = loans.Start(); !started.ok()) return Fail(started.error());
    if (auto started = shares.Start(); !started.ok()) return Fail(started.error());
    if (auto started = allocations.Start(); !started.ok()) return Fail(started.error());
    if (auto started = savings_groups.Start(); !started.ok()) return Fail(started.error());
    http::App http_app(http::Services{**store, identity, orgs, networks, members, ballots, assemblies, ledger, listings, setoff_runs, link_proposals, funds, loans, shares, allocations, savings_groups, tontines, group_loans, attachments, library, events, communities, clock}, http_config);
    http::Server server(http_app, server_config);
    if (auto r = server.Listen(); !r.ok()) return Fail(r.error());
    auto hp = http::ParseListen(server_config.listen);
    std::string host = hp->first.find(':') != std::string::npos ? "[" + hp->first + "]" : hp->first;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (public_url.empty()) {
      links_url = "http://" + host + ":" + std::to_string(server.port());
      ballots.set_public_url(links_url);
      assemblies.set_public_url(links_url);
      events.set_public_url(links_url);
      communities.set_public_url(links_url);
    }
    std::unique_ptr<mail::Courier> courier;
    if (smtp.configured()) {
      spdlog::info("mail: sending through {} as {}", smtp.url, smtp.from);
      courier = std::make_unique<mail::Courier>(**store, clock, smtp, mail::Courier::Options{.poll_ms = mail_poll_ms});
      courier->Start();
    } else {
      spdlog::info("mail: no SMTP server configured (--smtp-url): notices stay queued in the outbox");
    }
    if (!port_file.empty()) {
      std::string tmp = port_file + ".tmp";
      std::ofstream(tmp) << server.port() << "\n";
      std::rename(tmp.c_str(), port_file.c_str());
    }
    communities.Start(digest_poll_ms);  // digests go to the outbox, sent when SMTP is set up
    std::printf("Solidum is serving %s on http://%s:%u/\n", (*store)->describe().c_str(), host.c_str(), server.port());
    std::fflush(stdout);
    server.Run();
    communities.Stop();
    if (courier) courier->Stop();
    spdlog::shutdown();
    return 0;
  }

  if (copy->parsed()) return RunCopy(copy_from, copy_to);
  if (backup->parsed()) return RunBackup(g.db, backup_file);

  auto store = OpenMigrated(g, 2);
  if (!store.ok()) return Fail(store.error());
  if (checksums->parsed()) return RunChecksums(**store);
  identity::Identity identity(**store, clock);

  if (demo->parsed()) {
    registry::Organisations orgs(**store, identity, clock);
    registry::Networks networks(**store, clock);
    return LoadDemo(orgs, networks, demo_orgs, seed);
  }

  if (export_cmd->parsed()) {
    return RunExport(**store, identity, export_format, export_file);
  }

  if (import->parsed()) {
    return RunImport(**store, identity, import_format, import_file, import_source, import_maps);
  }

  if (user_add->parsed()) {
    auto pw = ReadPassword(password_stdin);
    if (!pw.ok()) return Fail(pw.error());
    auto u = identity.CreateUser(email, *pw, admin, display_name);
    if (!u.ok()) return Fail(u.error());
    std::fprintf(stderr, "created user %lld <%s>%s\n", static_cast<long long>(u->id), u->email.c_str(),
                 admin ? " (platform admin)" : "");
    return 0;
  }

  if (token_create->parsed()) {
    auto u = identity.FindUserByEmail(email);
    if (!u.ok()) return Fail(u.error());
    if (!*u) return Fail(Error::NotFound("No user has the email " + email + "."));
    auto t = identity.CreateApiToken((*u)->id, label);
    if (!t.ok()) return Fail(t.error());
    std::printf("%s\n", t->c_str());
    return 0;
  }
  return 1;
}

}  // namespace solidum::cli

int main(int argc, char** argv) { return solidum::cli::Main(argc, argv); }
