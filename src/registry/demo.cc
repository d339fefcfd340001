#include "registry/demo.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string_view>

namespace solidum::registry {

namespace {

// SplitMix64: tiny, well-mixed, and the same on every platform (std distributions are not).
struct Rng {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) / static_cast<double>(1ull << 53);
  }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& a) { return a[Below(N)]; }
};

struct Place {
  std::string_view city;
  std::string_view region;
  std::string_view country;
  std::string_view country_name;  // in the place's language
  std::string_view lang;
  double lat, lon;
};

// The first place of each country is where its national networks sit.
constexpr std::array<Place, 20> kPlaces{{
    {"Lyon", "Auvergne-Rhône-Alpes", "FR", "France", "fr", 45.764, 4.836},
    {"Nantes", "Pays de la Loire", "FR", "France", "fr", 47.218, -1.554},
    {"Lille", "Hauts-de-France", "FR", "France", "fr", 50.629, 3.057},
    {"Montréal", "Québec", "CA", "Canada", "fr", 45.502, -73.567},
    {"Québec", "Québec", "CA", "Canada", "fr", 46.813, -71.208},
    {"Dakar", "Dakar", "SN", "Sénégal", "fr", 14.716, -17.467},
    {"Bilbao", "País Vasco", "ES", "España", "es", 43.263, -2.935},
    {"Barcelona", "Cataluña", "ES", "España", "es", 41.385, 2.173},
    {"Mondragón", "País Vasco", "ES", "España", "es", 43.064, -2.490},
    {"Buenos Aires", "Buenos Aires", "AR", "Argentina", "es", -34.604, -58.382},
    {"Ciudad de México", "Ciudad de México", "MX", "México", "es", 19.433, -99.133},
    {"Bogotá", "Bogotá D.C.", "CO", "Colombia", "es", 4.711, -74.072},
    {"Porto", "Norte", "PT", "Portugal", "pt", 41.158, -8.629},
    {"Lisboa", "Lisboa", "PT", "Portugal", "pt", 38.722, -9.139},
    {"Porto Alegre", "Rio Grande do Sul", "BR", "Brasil", "pt", -30.035, -51.218},
    {"Recife", "Pernambuco", "BR", "Brasil", "pt", -8.048, -34.877},
    {"Manchester", "North West England", "GB", "United Kingdom", "en", 53.481, -2.243},
    {"Glasgow", "Scotland", "GB", "United Kingdom", "en", 55.864, -4.252},
    {"Cardiff", "Wales", "GB", "United Kingdom", "en", 51.482, -3.179},
    {"Nairobi", "Nairobi", "KE", "Kenya", "en", -1.292, 36.822},
}};

// Network names by language (en, fr, es, pt); {} is the region or the country.
constexpr std::array<std::string_view, 4> kNationalNames{
    "{} Co-operative and Social Economy Network", "Réseau national de l'ESS – {}",
    "Red Nacional de Economía Social y Solidaria – {}", "Rede Nacional de Economia Solidária – {}"};
constexpr std::array<std::string_view, 4> kRegionalNames{
    "{} Co-operative Network", "Chambre régionale de l'ESS {}", "Red de Economía Social de {}",
    "Rede de Economia Solidária de {}"};
constexpr std::array<std::string_view, 4> kHousingNames{
    "{} Housing Co-operatives Federation", "Fédération des coopératives d'habitation – {}",
    "Federación de Cooperativas de Vivienda – {}", "Federação das Cooperativas Habitacionais – {}"};
constexpr std::array<std::string_view, 4> kWorkerNames{
    "{} Worker Co-operatives Federation", "Confédération des coopératives de travail – {}",
    "Confederación de Cooperativas de Trabajo – {}", "Federação das Cooperativas de Trabalho – {}"};

std::string Fill(std::string_view pattern, std::string_view value) {
  std::string s(pattern);
  auto at = s.find("{}");
  return s.replace(at, 2, value);
}

struct Kind {
  std::string_view legal_form;
  std::string_view membership_type;
  std::string_view en, fr, es, pt;
};

constexpr std::array<Kind, 8> kKinds{{
    {"OS60", "BMT30", "Workers' Co-operative", "Coopérative ouvrière", "Cooperativa de trabajo", "Cooperativa de trabalho"},
    {"OS80", "BMT10", "Food Co-op", "Coopérative de consommateurs", "Cooperativa de consumo", "Cooperativa de consumo"},
    {"OS90", "BMT20", "Growers' Co-operative", "Coopérative agricole", "Cooperativa agraria", "Cooperativa agrícola"},
    {"OS70", "BMT50", "Housing Co-operative", "Coopérative d'habitation", "Cooperativa de vivienda", "Cooperativa habitacional"},
    {"OS100", "BMT40", "Community Co-operative", "SCIC", "Cooperativa multiactiva", "Cooperativa social"},
    {"OS170", "BMT10", "Mutual Society", "Mutuelle", "Mutual", "Mútua"},
    {"OS20", "BMT60", "Community Association", "Association", "Asociación civil", "Associação"},
    {"OS30", "BMT30", "Social Enterprise", "Entreprise d'insertion", "Empresa social", "Empresa social"},
}};

// Per thing: its ICA activity and the SDGs it most serves.
constexpr std::array<std::string_view, 12> kThingActivities{"ICA250", "ICA120", "ICA240", "ICA230", "ICA200",
                                                            "ICA240", "ICA280", "ICA170", "ICA90",  "ICA10",
                                                            "ICA90",  "ICA110"};
constexpr std::array<std::array<std::int64_t, 2>, 12> kThingSdgs{{{2, 12}, {11, 13}, {2, 12}, {7, 13}, {4, 5},
                                                                 {4, 10}, {12, 13}, {3, 10}, {8, 9}, {8, 12},
                                                                 {8, 12}, {8, 9}}};
constexpr std::array<std::string_view, 4> kLanguages{"en", "fr", "es", "pt"};

constexpr std::array<std::array<std::string_view, 4>, 12> kThings{{
    {"Bakery", "Boulangerie", "Panadería", "Padaria"},
    {"Bicycle Workshop", "Atelier vélo", "Taller de bicicletas", "Oficina de bicicletas"},
    {"Organic Market", "Marché bio", "Mercado ecológico", "Mercado orgânico"},
    {"Renewable Energy", "Énergie citoyenne", "Energía renovable", "Energia renovável"},
    {"Childcare Centre", "Crèche parentale", "Guardería", "Creche comunitária"},
    {"Bookshop", "Librairie", "Librería", "Livraria"},
    {"Recycling", "Ressourcerie", "Reciclaje", "Reciclagem"},
    {"Home Care", "Aide à domicile", "Cuidados a domicilio", "Cuidado domiciliar"},
    {"Printing", "Imprimerie", "Imprenta", "Gráfica"},
    {"Coffee Roasters", "Torréfaction", "Tostadores de café", "Torrefação de café"},
    {"Textiles", "Textile", "Textil", "Têxtil"},
    {"Digital Services", "Services numériques", "Servicios digitales", "Serviços digitais"},
}};

std::size_t LangIndex(std::string_view lang) {
  if (lang == "fr") return 1;
  if (lang == "es") return 2;
  if (lang == "pt") return 3;
  return 0;
}

std::string_view KindName(const Kind& k, std::size_t lang) {
  switch (lang) {
    case 1: return k.fr;
    case 2: return k.es;
    case 3: return k.pt;
    default: return k.en;
  }
}

std::string Describe(std::size_t lang, std::string_view thing, std::string_view city) {
  std::string t(thing), c(city);
  switch (lang) {
    case 1: return t + " gérée démocratiquement par ses membres à " + c + ", au service de son territoire.";
    case 2: return t + " gestionada democráticamente por sus socias y socios en " + c + ".";
    case 3: return t + " gerida democraticamente pelos seus membros em " + c + ".";
    default: return t + " owned and run democratically by its members in " + c + ".";
  }
}

}  // namespace

DemoRegister Demo(int count, std::uint64_t seed) {
  Rng rng{seed * 0x2545F4914F6CDD1Dull + 1};
  DemoRegister demo;
  auto& out = demo.organisations;
  out.reserve(static_cast<std::size_t>(count < 0 ? 0 : count) + 64);
  auto network = [&](std::string name, std::string scope, const Place& p, std::size_t lang) {
    Organisation n;
    n.name = std::move(name);
    n.network_scope = std::move(scope);
    n.legal_form = "OS20";
    n.language = std::string(kLanguages[lang]);
    n.languages = {n.language.value()};
    n.locality = std::string(p.city);
    n.region = std::string(p.region);
    n.country = std::string(p.country);
    n.latitude = p.lat;
    n.longitude = p.lon;
    n.founded_year = 1950 + static_cast<std::int64_t>(rng.Below(60));
    n.website = "https://example.org/network-" + std::to_string(out.size() + 1);
    out.push_back(std::move(n));
    return out.size() - 1;
  };
  auto year_date = [&](std::int64_t from) {
    std::int64_t year = std::max<std::int64_t>(from, 1990) + static_cast<std::int64_t>(rng.Below(20));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-01", static_cast<long long>(std::min<std::int64_t>(year, 2024)),
                  static_cast<int>(1 + rng.Below(12)));
    return std::string(buf);
  };
  auto join = [&](std::size_t member, std::size_t net, std::string role, std::int64_t from_year) {
    demo.memberships.push_back({member, net, std::move(role), year_date(from_year), std::nullopt});
  };

  // The networks: international, then per country national and sector, per region regional.
  std::size_t international = network("International Network for the Social and Solidarity Economy", "international",
                                      kPlaces[0], 0);
  std::map<std::string_view, std::size_t> national, housing, worker_coops, regional;
  for (const Place& p : kPlaces) {
    std::size_t lang = LangIndex(p.lang);
    if (!national.contains(p.country)) {
      national[p.country] = network(Fill(kNationalNames[lang], p.country_name), "national", p, lang);
      housing[p.country] = network(Fill(kHousingNames[lang], p.country_name), "national", p, lang);
      worker_coops[p.country] = network(Fill(kWorkerNames[lang], p.country_name), "national", p, lang);
      join(national[p.country], international, "full", 2002);
      join(housing[p.country], national[p.country], "founding", 1995);
      join(worker_coops[p.country], national[p.country], "founding", 1995);
    }
    if (!regional.contains(p.region)) {
      regional[p.region] = network(Fill(kRegionalNames[lang], p.region), "regional", p, lang);
      join(regional[p.region], national[p.country], "full", 2000);
    }
  }
  demo.networks = out.size();

  for (int i = 0; i < count; ++i) {
    const Place& p = rng.Pick(kPlaces);
    const Kind& k = rng.Pick(kKinds);
    std::size_t thing_index = rng.Below(kThings.size());
    const auto& thing = kThings[thing_index];
    std::size_t lang = LangIndex(p.lang);
    Organisation o;
    std::string name;
    if (lang == 0) name = std::string(p.city) + " " + std::string(thing[0]) + " " + std::string(KindName(k, 0));
    else name = std::string(KindName(k, lang)) + " " + std::string(thing[lang]) + " " + std::string(p.city);
    o.name = name + " " + std::to_string(i + 1);
    o.description = Describe(lang, thing[lang], p.city);
    o.legal_form = std::string(k.legal_form);
    o.country = std::string(p.country);
    // Scatter within ~15 km of the city centre.
    o.latitude = p.lat + rng.Uniform(-0.12, 0.12);
    o.longitude = p.lon + rng.Uniform(-0.15, 0.15);
    o.status = rng.Below(20) == 0 ? "in_planning" : (rng.Below(30) == 0 ? "closed" : "active");
    if (rng.Below(3) != 0) o.website = "https://example.org/coop-" + std::to_string(i + 1);
    o.language = std::string(kLanguages[lang]);
    o.languages = {std::string(kLanguages[lang])};
    o.locality = std::string(p.city);
    o.membership_type = std::string(k.membership_type);
    o.primary_activity = std::string(kThingActivities[thing_index]);
    o.activities = {*o.primary_activity};
    o.sdgs = {kThingSdgs[thing_index][0], kThingSdgs[thing_index][1]};
    o.founded_year = 1900 + static_cast<std::int64_t>(rng.Below(125));
    std::int64_t workers = 1 + static_cast<std::int64_t>(rng.Below(rng.Below(10) == 0 ? 400 : 25));
    o.workers = workers;
    o.members = k.membership_type == "BMT30" ? workers : workers * (5 + static_cast<std::int64_t>(rng.Below(200)));
    o.volunteers = static_cast<std::int64_t>(rng.Below(20));
    o.counts_year = rng.Below(4) == 0 ? 2019 : 2025;
    o.region = std::string(p.region);
    std::int64_t founded = *o.founded_year;
    out.push_back(std::move(o));
    std::size_t me = out.size() - 1;
    if (rng.Below(10) != 0) {
      std::size_t r = rng.Below(20);
      join(me, regional[p.region], r == 0 ? "founding" : r < 3 ? "associate" : "full", founded);
      if (rng.Below(30) == 0) {  // left the network some years later
        auto& m = demo.memberships.back();
        std::string end = m.start_date;
        end.replace(0, 4, std::to_string(std::min(2025, std::stoi(end.substr(0, 4)) + 1 + static_cast<int>(rng.Below(5)))));
        m.end_date = end;
      }
    }
    if (k.legal_form == "OS70") join(me, housing[p.country], "full", founded);
    if (k.legal_form == "OS60") join(me, worker_coops[p.country], "full", founded);
  }
  return demo;
}

}  // namespace solidum::registry
