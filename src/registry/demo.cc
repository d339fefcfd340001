#include "registry/demo.h"

#include <array>
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
  std::string_view country;
  std::string_view lang;
  double lat, lon;
};

constexpr std::array<Place, 20> kPlaces{{
    {"Lyon", "FR", "fr", 45.764, 4.836},        {"Nantes", "FR", "fr", 47.218, -1.554},
    {"Lille", "FR", "fr", 50.629, 3.057},       {"Montréal", "CA", "fr", 45.502, -73.567},
    {"Québec", "CA", "fr", 46.813, -71.208},    {"Dakar", "SN", "fr", 14.716, -17.467},
    {"Bilbao", "ES", "es", 43.263, -2.935},     {"Barcelona", "ES", "es", 41.385, 2.173},
    {"Mondragón", "ES", "es", 43.064, -2.490},  {"Buenos Aires", "AR", "es", -34.604, -58.382},
    {"Ciudad de México", "MX", "es", 19.433, -99.133}, {"Bogotá", "CO", "es", 4.711, -74.072},
    {"Porto", "PT", "pt", 41.158, -8.629},      {"Lisboa", "PT", "pt", 38.722, -9.139},
    {"Porto Alegre", "BR", "pt", -30.035, -51.218}, {"Recife", "BR", "pt", -8.048, -34.877},
    {"Manchester", "GB", "en", 53.481, -2.243}, {"Glasgow", "GB", "en", 55.864, -4.252},
    {"Cardiff", "GB", "en", 51.482, -3.179},    {"Nairobi", "KE", "en", -1.292, 36.822},
}};

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

std::vector<Organisation> DemoOrganisations(int count, std::uint64_t seed) {
  Rng rng{seed * 0x2545F4914F6CDD1Dull + 1};
  std::vector<Organisation> out;
  out.reserve(static_cast<std::size_t>(count < 0 ? 0 : count));
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
    o.counts_year = 2025;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace solidum::registry
