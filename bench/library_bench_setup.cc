// Fills a store for bench/library.sh: N published resources of the library in four
// languages (each four in a row are one resource and its translations), with titles,
// summaries and bodies drawn from each language's words of the field, types, themes,
// SDGs and countries; then builds the full-text index in one statement. Rows go in by
// SQL in batches: the workflow (three transactions a resource) would take the bench's time.
//   library_bench_setup DB_URL RESOURCES [SEED]
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_setup.h"
#include "library/resource.h"
#include "library/search.h"

using namespace solidum;

namespace {

const std::vector<std::string> kWords[4] = {
    {"cooperative", "community", "solidarity", "food", "market", "workers", "housing", "energy", "finance", "credit", "savings", "women",
     "youth", "farmers", "local", "network", "training", "fair", "trade", "recycling", "care", "health", "school", "water", "land",
     "bakery", "grocery", "bank", "mutual", "association", "enterprise", "social", "circular", "economy", "democracy", "members"},
    {"coopérative", "communauté", "solidarité", "alimentation", "marché", "travailleurs", "logement", "énergie", "finance", "crédit",
     "épargne", "femmes", "jeunesse", "paysans", "local", "réseau", "formation", "équitable", "commerce", "recyclage", "soin", "santé",
     "école", "eau", "terre", "boulangerie", "épicerie", "banque", "mutuelle", "association", "entreprise", "sociale", "circulaire",
     "économie", "démocratie", "sociétaires"},
    {"cooperativa", "comunidad", "solidaridad", "alimentación", "mercado", "trabajadores", "vivienda", "energía", "finanzas", "crédito",
     "ahorro", "mujeres", "juventud", "campesinos", "local", "red", "formación", "justo", "comercio", "reciclaje", "cuidados", "salud",
     "escuela", "agua", "tierra", "panadería", "tienda", "banco", "mutual", "asociación", "empresa", "social", "circular", "economía",
     "democracia", "socios"},
    {"cooperativa", "comunidade", "solidariedade", "alimentação", "mercado", "trabalhadores", "habitação", "energia", "finanças",
     "crédito", "poupança", "mulheres", "juventude", "agricultores", "local", "rede", "formação", "justo", "comércio", "reciclagem",
     "cuidados", "saúde", "escola", "água", "terra", "padaria", "mercearia", "banco", "mútua", "associação", "empresa", "social",
     "circular", "economia", "democracia", "associados"},
};
const char* const kLanguages[4] = {"en", "fr", "es", "pt"};
const char* const kCountries[] = {"FR", "ES", "PT", "BR", "AR", "MX", "CO", "PE", "SN", "ML", "BF", "CI", "CM", "MA", "TN", "CA",
                                  "US", "GB", "IE", "BE", "IT", "DE", "CH", "IN", "PH", "KR", "JP", "ZA", "KE", "UG", "BO", "EC",
                                  "CL", "UY", "PY", "NI", "GT", "HT", "MZ", "AO"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: library_bench_setup DB_URL RESOURCES [SEED]\n");
    return 2;
  }
  const int count = std::stoi(argv[2]);
  std::mt19937_64 rng(argc > 3 ? std::stoull(argv[3]) : 1);
  auto store = bench::OpenMigrated(argv[1]);
  const Clock& clock = SystemClock::Instance();
  identity::Identity identity(*store, clock);
  const std::int64_t org = bench::DemoOrganisation(*store, identity, clock);
  auto pick = [&](int n) { return static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(n)); };
  auto words = [&](int language, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + kWords[language][pick(static_cast<int>(kWords[language].size()))];
    return s;
  };
  auto r = store::InTransaction<bool>(*store, store::TxKind::kWrite, [&](store::Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto first, conn.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM library_resources", {}));
    std::int64_t id = first->Int(0);
    std::vector<std::vector<store::Value>> rows;
    const std::string now = FormatTimestamp(clock.NowMicros());
    for (int i = 0; i < count; ++i, ++id) {
      const int language = i % 4;
      const std::int64_t group = id - language;  // each four in a row: one resource and its translations
      std::string themes = "[\"" + std::string(library::kStandardThemes[pick(5)]) + "\"]";
      std::string sdgs = "[" + std::to_string(1 + pick(17)) + "]";
      std::string countries = "[\"" + std::string(kCountries[pick(40)]) + "\"]";
      const std::string published = FormatTimestamp(clock.NowMicros() - static_cast<std::int64_t>(pick(1'000'000)) * 60'000'000);
      rows.push_back({id, org, std::string(library::kTypes[pick(6)]), words(language, 5), words(language, 25), words(language, 120),
                      std::string(kLanguages[language]), group, themes, sdgs, countries, now, now, published});
      if (rows.size() == 2000 || i + 1 == count) {
        SOLIDUM_TRY(conn.ExecMany("INSERT INTO library_resources (id, publisher_id, type, title, summary, body, language, translation_group, "
                                  "themes, sdgs, countries, stage, version, created_at, updated_at, published_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', 1, ?, ?, ?)",
                                  rows));
        rows.clear();
      }
    }
    SOLIDUM_TRY(library::search_store::ReindexAll(conn));
    return true;
  });
  if (!r.ok()) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
  // Statistics for the planner after a bulk load, as an operator would (autovacuum does it
  // later on its own): without them PostgreSQL plans the page's reads as if the table were empty.
  if (auto a = store->Acquire()->Exec("ANALYZE", {}); !a.ok()) return std::fprintf(stderr, "%s\n", a.error().message.c_str()), 1;
  std::printf("%d resources\n", count);
  return 0;
}
