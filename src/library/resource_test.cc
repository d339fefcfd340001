// A resource's fields read from JSON (every bad field named), the workflow's moves, and
// what a change records.
#include "library/resource.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace solidum::library {
namespace {

std::vector<std::string> Fields(const Result<ResourceChanges>& r) {
  std::vector<std::string> out;
  if (r.ok()) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field + " " + f.code);
  return out;
}

TEST(ResourceTest, ReadsAResourceAndNamesEveryBadField) {
  auto ok = ReadResource(boost::json::parse(R"({"type":"good_practice","title":"  Une épicerie solidaire ","language":"fr",)"
                                            R"("body":"    code\n# Titre","themes":["food_sovereignty"],"sdgs":[2,12],"countries":["fr","sn"]})"),
                         true);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->title.value, "Une épicerie solidaire");
  EXPECT_EQ(ok->body.value, "    code\n# Titre");  // Markdown's indentation is kept
  EXPECT_EQ(ok->countries.value, (std::vector<std::string>{"FR", "SN"}));

  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"summary":"x"})"), true)),
            (std::vector<std::string>{"/type required", "/title required", "/language required"}));
  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"summary":"x"})"), false)), std::vector<std::string>{});
  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"type":"novel","title":"t","language":"French","sdgs":[18],)"
                                                   R"("themes":["Food!"],"countries":["FRA"],"colour":"red"})"),
                                true)),
            (std::vector<std::string>{"/type unknown_term", "/language invalid_language", "/themes/0 unknown_theme", "/sdgs/0 out_of_range",
                                      "/countries/0 too_long", "/colour unknown_field"}));
  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"countries":["fr","FR"]})"), false)), std::vector<std::string>{"/countries/1 duplicate"});
  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"title":null})"), false)), std::vector<std::string>{"/title not_nullable"});
  EXPECT_EQ(Fields(ReadResource(boost::json::parse(R"({"title":"  "})"), false)), std::vector<std::string>{"/title required"});
  const std::string long_body(kBodyCharsMax + 1, 'a');
  EXPECT_EQ(Fields(ReadResource(boost::json::value{{"body", long_body}}, false)), std::vector<std::string>{"/body too_long"});
  EXPECT_EQ(Fields(ReadResource(boost::json::parse("[1]"), false)), std::vector<std::string>{" wrong_type"});
}

TEST(ResourceTest, TheWorkflowGoesThroughReviewAndOnlyReviewersPublish) {
  using S = Stage;
  EXPECT_TRUE(CheckMove(S::kDraft, S::kInReview, false).ok());
  EXPECT_TRUE(CheckMove(S::kInReview, S::kDraft, false).ok());
  EXPECT_EQ(CheckMove(S::kInReview, S::kPublished, false).error().code, "reviewers_only");
  EXPECT_EQ(CheckMove(S::kInReview, S::kPublished, false).error().kind, ErrorKind::kForbidden);
  EXPECT_TRUE(CheckMove(S::kInReview, S::kPublished, true).ok());
  EXPECT_EQ(CheckMove(S::kDraft, S::kPublished, true).error().code, "wrong_stage");  // review is not skipped
  EXPECT_EQ(CheckMove(S::kPublished, S::kPublished, true).error().code, "wrong_stage");
  EXPECT_TRUE(CheckMove(S::kPublished, S::kArchived, true).ok());
  EXPECT_EQ(CheckMove(S::kArchived, S::kDraft, false).error().code, "reviewers_only");
  EXPECT_TRUE(CheckMove(S::kArchived, S::kDraft, true).ok());
  EXPECT_EQ(CheckMove(S::kArchived, S::kPublished, true).error().code, "wrong_stage");

  EXPECT_TRUE(CheckEditable(S::kDraft, false).ok());
  EXPECT_TRUE(CheckEditable(S::kInReview, false).ok());
  EXPECT_EQ(CheckEditable(S::kPublished, false).error().code, "wrong_stage");
  EXPECT_TRUE(CheckEditable(S::kPublished, true).ok());
  EXPECT_EQ(CheckEditable(S::kArchived, true).error().code, "wrong_stage");
  for (auto s : {S::kDraft, S::kInReview, S::kPublished, S::kArchived}) EXPECT_EQ(ParseStage(StageName(s)), s);
  EXPECT_EQ(ParseStage("deleted"), std::nullopt);
}

TEST(ResourceTest, ADiffNamesWhatChangedFromWhatToWhat) {
  Resource a;
  a.title = "Avant";
  a.themes = {"work_employment"};
  a.organisations = {{4, "A"}};
  Resource b = a;
  EXPECT_TRUE(Diff(a, b).empty());
  auto changes = ReadResource(boost::json::parse(R"({"title":"Après","themes":[],"organisations":[4,9]})"), false);
  ASSERT_TRUE(changes.ok());
  Apply(*changes, b);
  EXPECT_EQ(boost::json::serialize(Diff(a, b)),
            R"({"title":{"from":"Avant","to":"Après"},"themes":{"from":["work_employment"],"to":[]},"organisations":{"from":[4],"to":[4,9]}})");
}

}  // namespace
}  // namespace solidum::library
