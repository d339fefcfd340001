// Spreadsheet CSV: columns matched to fields by their headers in four languages.
#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"
#include "common/csv.h"
#include "registry/open_data.h"
#include "registry/terms.h"

namespace solidum::registry {

namespace {

// Header names per field, folded (text::Fold). The first field that claims a header wins;
// when two columns name one field, the first column does.
const std::vector<std::pair<std::string, std::vector<std::string>>>& Synonyms() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kSynonyms = {
      {"source_id", {"id", "identifier", "identifiant", "identificador", "ref", "reference", "referencia"}},
      {"name",
       {"name", "nom", "nombre", "nome", "organisation", "organization", "organisation name", "organization name",
        "nom de l organisation", "nom de la structure", "nombre de la organizacion", "nome da organizacao",
        "raison sociale", "razon social", "razao social", "denomination", "denominacion", "denominacao"}},
      {"description", {"description", "descripcion", "descricao", "presentation", "presentacion", "apresentacao", "about"}},
      {"mission", {"mission", "mision", "missao", "objet social", "objeto social"}},
      {"street",
       {"address", "street", "street address", "adresse", "rue", "direccion", "calle", "endereco", "morada", "rua",
        "address line 1"}},
      {"locality",
       {"city", "town", "locality", "ville", "commune", "localite", "ciudad", "localidad", "municipio", "cidade",
        "localidade", "municipality"}},
      {"region", {"region", "regiao", "province", "state", "provincia", "estado", "departement", "departamento", "county"}},
      {"postcode", {"postcode", "post code", "postal code", "zip", "zip code", "code postal", "cp", "codigo postal", "cep"}},
      {"country", {"country", "pays", "pais", "country code", "country id", "nation", "nacion", "nacao"}},
      {"latitude", {"latitude", "lat", "latitud", "geo container latitude"}},
      {"longitude", {"longitude", "lon", "lng", "long", "longitud", "geo container longitude"}},
      {"website",
       {"website", "web", "web site", "site", "site web", "site internet", "url", "sitio web", "pagina web", "homepage"}},
      {"email", {"email", "e mail", "mail", "courriel", "correo", "correo electronico", "email address"}},
      {"phone", {"phone", "telephone", "tel", "telefono", "telefone", "phone number", "numero de telephone"}},
      {"legal_form",
       {"legal form", "organisational structure", "organizational structure", "forme juridique", "statut juridique",
        "forma juridica", "natureza juridica", "legal status"}},
      {"primary_activity",
       {"activity", "primary activity", "sector", "activite", "secteur", "secteur d activite", "actividad",
        "sector de actividad", "atividade", "setor", "industry"}},
      {"activities", {"activities", "activites", "actividades", "atividades"}},
      {"membership_type", {"membership type", "type de membres", "tipo de socios", "tipo de membros"}},
      {"founded_year",
       {"founded", "year founded", "founding year", "founded year", "year of foundation", "annee de creation",
        "date de creation", "ano de fundacion", "fecha de fundacion", "ano de fundacao", "data de fundacao"}},
      {"members", {"members", "number of members", "membres", "nombre de membres", "socios", "miembros", "membros"}},
      {"workers",
       {"workers", "employees", "jobs", "staff", "salaries", "emplois", "trabajadores", "empleados", "trabalhadores",
        "empregados"}},
      {"volunteers", {"volunteers", "benevoles", "voluntarios"}},
  };
  return kSynonyms;
}

char SeparatorOf(std::string_view data) {
  std::string_view first = data.substr(0, data.find('\n'));
  auto count = [&](char c) { return std::count(first.begin(), first.end(), c); };
  long commas = count(','), semicolons = count(';'), tabs = count('\t');
  if (tabs > commas && tabs > semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

// A whole number as people write it: "1 200", "1,200", "1.200" (thousands), "12".
std::optional<std::int64_t> ParseCount(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits.push_back(c);
    else if (c != ' ' && c != ',' && c != '.' && c != '\'') return std::nullopt;
  }
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  return text::ParseInt64(digits);
}

// The first four-digit year in "2015", "12/03/2015", "mars 2015".
std::optional<std::int64_t> ParseYear(std::string_view s) {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    bool four = true;
    for (std::size_t j = i; j < i + 4; ++j) four = four && s[j] >= '0' && s[j] <= '9';
    bool bounded = (i == 0 || !std::isdigit(static_cast<unsigned char>(s[i - 1]))) &&
                   (i + 4 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 4])));
    if (four && bounded) {
      auto y = text::ParseInt64(s.substr(i, 4));
      if (y && *y >= 1000 && *y <= 2100) return y;
    }
  }
  return std::nullopt;
}

// A coordinate, with a decimal comma accepted (semicolon-separated files often have them).
std::optional<double> ParseCoordinate(std::string_view s) {
  std::string t(s);
  if (t.find('.') == std::string::npos && std::count(t.begin(), t.end(), ',') == 1) std::replace(t.begin(), t.end(), ',', '.');
  return text::ParseDouble(t);
}

// FNV-1a: a short, stable key for rows without an identifier.
std::string KeyOf(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("k-") + buf;
}

}  // namespace

const std::vector<std::string>& SpreadsheetFields() {
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> f;
    for (const auto& [field, names] : Synonyms()) f.push_back(field);
    return f;
  }();
  return kFields;
}

Result<ReadResult> ReadSpreadsheetCsv(std::string_view data, std::string_view source,
                                      const std::vector<std::pair<std::string, std::string>>& mapping,
                                      const TermResolver& terms) {
  if (!text::IsValidUtf8(data)) return Error::Make(ErrorKind::kInvalidInput, "not_utf8", "The file is not UTF-8 text.");
  for (const auto& [header, field] : mapping) {
    const auto& fields = SpreadsheetFields();
    if (!field.empty() && std::find(fields.begin(), fields.end(), field) == fields.end()) {
      return Error::Make(ErrorKind::kInvalidInput, "unknown_field",
                         "--map " + header + "=" + field + ": no such field (one of the record's fields, or empty to skip).");
    }
  }
  CsvReader reader(data, SeparatorOf(data));
  CsvRecord header;
  auto first = reader.Next(header);
  if (!first.ok()) return std::move(first).error();
  if (!*first) return Error::Make(ErrorKind::kInvalidInput, "empty_file", "The file is empty.");

  // Column -> field: --map first, then the synonyms; the first column to claim a field wins.
  std::map<std::string, std::size_t> column_of;
  ReadResult out;
  std::set<std::string> mapped_headers;
  for (const auto& [h, field] : mapping) mapped_headers.insert(text::Fold(h));
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string folded = text::Fold(header.fields[i]);
    std::optional<std::string> field;
    for (const auto& [h, f] : mapping) {
      if (text::Fold(h) == folded) field = f;
    }
    if (!field && !mapped_headers.contains(folded)) {
      for (const auto& [f, names] : Synonyms()) {
        if (std::find(names.begin(), names.end(), folded) != names.end()) {
          field = f;
          break;
        }
      }
    }
    if (field && !field->empty() && !column_of.contains(*field)) {
      column_of[*field] = i;
    } else if (!(field && field->empty())) {
      out.ignored.push_back(std::string(text::Trim(header.fields[i])));
    }
  }
  if (!column_of.contains("name")) {
    return Error::Make(ErrorKind::kInvalidInput, "bad_header",
                       "No column holds the name (Name, Nom, Nombre, Nome, ...): name it so, or use --map 'Header=name'.");
  }

  std::map<std::string, std::size_t> line_of_key;
  CsvRecord rec;
  for (;;) {
    SOLIDUM_ASSIGN_OR_RETURN(bool more, NextCsvRow(reader, header.fields.size(), rec, out));
    if (!more) break;
    auto get = [&](const char* field) -> std::string_view {
      auto it = column_of.find(field);
      if (it == column_of.end()) return {};
      std::string_view v = text::Trim(rec.fields[it->second]);
      // What spreadsheets write for "nothing".
      static const std::set<std::string, std::less<>> kNothing{"", "n a", "na", "none", "null", "nil", "s o", "s d"};
      return v.size() <= 6 && kNothing.contains(text::Fold(v)) ? std::string_view() : v;
    };
    auto warn = [&](std::string what) { out.warnings.push_back({rec.line, std::move(what)}); };
    boost::json::object o;
    for (const char* f : {"name", "description", "mission", "street", "locality", "region", "postcode", "email", "phone"}) {
      if (auto v = get(f); !v.empty()) o[f] = v;
    }
    if (auto v = get("website"); !v.empty()) o["website"] = WithScheme(v);
    auto term = [&](const char* field, const char* vocabulary, std::string_view v) -> std::optional<std::string> {
      if (v.empty()) return std::nullopt;
      auto code = terms.Resolve(vocabulary, v);
      if (!code) warn(std::string(field) + " \"" + std::string(v) + "\" is not a known term; left empty");
      return code;
    };
    if (auto c = term("country", "countries", get("country"))) o["country"] = *c;
    if (auto c = term("legal_form", "legal_forms", get("legal_form"))) o["legal_form"] = *c;
    if (auto c = term("primary_activity", "activities", get("primary_activity"))) o["primary_activity"] = *c;
    if (auto c = term("membership_type", "membership_types", get("membership_type"))) o["membership_type"] = *c;
    if (auto v = get("activities"); !v.empty()) {
      boost::json::array acts;
      std::string_view rest = v;
      while (!rest.empty()) {
        auto cut = rest.find_first_of(";,|");
        auto part = text::Trim(rest.substr(0, cut));
        if (auto c = term("activities", "activities", part)) {
          if (std::find(acts.begin(), acts.end(), boost::json::value(*c)) == acts.end()) acts.emplace_back(*c);
        }
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
      }
      if (!acts.empty()) o["activities"] = std::move(acts);
    }
    if (o.contains("primary_activity")) {
      if (!o.contains("activities")) o["activities"] = boost::json::array{o["primary_activity"]};
      else if (std::find(o["activities"].as_array().begin(), o["activities"].as_array().end(), o["primary_activity"]) ==
               o["activities"].as_array().end()) {
        o["activities"].as_array().push_back(o["primary_activity"]);
      }
    }
    if (auto v = get("founded_year"); !v.empty()) {
      if (auto y = ParseYear(v)) o["founded_year"] = *y;
      else warn("founded_year \"" + std::string(v) + "\" has no year; left empty");
    }
    for (const char* f : {"members", "workers", "volunteers"}) {
      if (auto v = get(f); !v.empty()) {
        if (auto n = ParseCount(v)) o[f] = *n;
        else warn(std::string(f) + " \"" + std::string(v) + "\" is not a whole number; left empty");
      }
    }
    std::string_view lat = get("latitude"), lon = get("longitude");
    if (!lat.empty() || !lon.empty()) {
      auto la = ParseCoordinate(lat), lo = ParseCoordinate(lon);
      if (!la || !lo || std::abs(*la) > 90 || std::abs(*lo) > 180) {
        out.rejected.push_back({rec.line, "invalid coordinates \"" + std::string(lat) + "\", \"" + std::string(lon) + "\""});
        continue;
      }
      o["latitude"] = *la;
      o["longitude"] = *lo;
    }
    std::string key(get("source_id"));
    if (key.empty()) {
      // No identifier: the organisation is who it is called, where it is.
      key = KeyOf(text::Fold(get("name")) + "|" + (o.contains("country") ? std::string(o["country"].as_string()) : "") +
                  "|" + text::Fold(get("locality")));
    }
    auto [seen, added] = line_of_key.emplace(key, rec.line);
    if (!added) {
      out.rejected.push_back({rec.line, "same identifier (or, without one, same name and place) as line " +
                                            std::to_string(seen->second)});
      continue;
    }
    KeepRow(out, rec.line, std::move(o), source, key);
  }
  return out;
}

}  // namespace solidum::registry
