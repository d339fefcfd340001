// Recognising vocabulary terms in what people write: a code ("OS60"), a term URI
// (".../OS60"), a label in English, French, Spanish or Portuguese ("Workers cooperative",
// "Cooperativas de trabajo"), and for countries an alias ("UK") or a near miss ("Rawanda").
// Matching folds case, accents and punctuation. Pure once built; thread-safe to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace solidum::registry {

class TermResolver {
 public:
  // Vocabularies: legal_forms, countries, activities, membership_types.
  void AddTerm(const std::string& vocabulary, const std::string& code, const std::vector<std::string>& labels);
  void AddAlias(const std::string& vocabulary, const std::string& alias, const std::string& code);

  // The code `text` names in `vocabulary`, or nullopt. Near misses (one letter off, two
  // for names of 12 letters or more) count when a single term is that close, for names of
  // 5 letters or more (countries) or 8 (other vocabularies).
  std::optional<std::string> Resolve(const std::string& vocabulary, std::string_view text) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> names_;  // vocabulary -> folded name -> code
};

// Reads the vocabularies and aliases from the store.
Result<TermResolver> LoadTerms(store::Conn& conn);

}  // namespace solidum::registry
