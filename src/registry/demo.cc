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
  std::string_view en, fr, es, pt;
};

constexpr std::array<Kind, 8> kKinds{{
    {"OS60", "Workers' Co-operative", "Coopérative ouvrière", "Cooperativa de trabajo", "Cooperativa de trabalho"},
    {"OS80", "Food Co-op", "Coopérative de consommateurs", "Cooperativa de consumo", "Cooperativa de consumo"},
    {"OS90", "Growers' Co-operative", "Coopérative agricole", "Cooperativa agraria", "Cooperativa agrícola"},
    {"OS70", "Housing Co-operative", "Coopérative d'habitation", "Cooperativa de vivienda", "Cooperativa habitacional"},
    {"OS100", "Community Co-operative", "SCIC", "Cooperativa multiactiva", "Cooperativa social"},
    {"OS170", "Mutual Society", "Mutuelle", "Mutual", "Mútua"},
    {"OS20", "Community Association", "Association", "Asociación civil", "Associação"},
    {"OS30", "Social Enterprise", "Entreprise d'insertion", "Empresa social", "Empresa social"},
}};

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
    const auto& thing = rng.Pick(kThings);
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
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace solidum::registry
