// Files kept in the store, on SQLite and PostgreSQL: the bytes come back exactly (every
// byte value, NUL included), a refused file leaves nothing, a record holds a bounded
// number, and removal is a mark that hides the file.
#include "attachments/attachments.h"

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"

namespace solidum::attachments {
namespace {

class AttachmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "attachments"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    files_ = std::make_unique<Attachments>(*store_, clock_);
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    return r.ok() ? (*r)->Int(0) : -1;
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{2'208'988'800'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Attachments> files_;
};

// A PDF with every byte value in its body, as compressed streams have.
std::string BinaryPdf(std::size_t body_bytes) {
  std::string b = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\nstream\n";
  for (std::size_t i = 0; i < body_bytes; ++i) b.push_back(static_cast<char>((i * 7 + i / 256) & 0xFF));
  return b + "\nendstream\n%%EOF\n";
}

TEST_F(AttachmentsTest, BytesComeBackExactlyAndAreListedWithoutThem) {
  const Owner plan{"loan_application", 7};
  const std::string bytes = BinaryPdf(3 * 1024 * 1024);
  auto a = files_->Add(plan, Upload{"Plan d'affaires.pdf", "application/pdf", bytes, std::nullopt});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->media_type, "application/pdf");
  EXPECT_EQ(a->size_bytes, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(a->hash.size(), 64u);
  auto back = files_->Read(plan, a->id);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->first.file_name, "Plan d'affaires.pdf");
  EXPECT_TRUE(back->second == bytes);  // not EXPECT_EQ: a 3 MiB diff is no help
  EXPECT_EQ(back->first.hash, a->hash);
  // Another record does not see it.
  EXPECT_EQ(files_->Read(Owner{"loan_application", 8}, a->id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(files_->Read(Owner{"resource", 7}, a->id).error().kind, ErrorKind::kNotFound);
  auto list = files_->List(plan);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, a->id);
}

TEST_F(AttachmentsTest, ARefusedFileLeavesNothingAndARecordHoldsABoundedNumber) {
  const Owner plan{"loan_application", 1};
  auto bad = files_->Add(plan, Upload{"plan.pdf", "application/pdf", "<script>alert(1)</script>", std::nullopt});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "/file");
  EXPECT_EQ(bad.error().fields.at(0).code, "type_mismatch");
  EXPECT_EQ(Count("attachments"), 0);
  EXPECT_EQ(Count("attachment_contents"), 0);
  const std::string pdf = BinaryPdf(100);
  for (std::size_t i = 0; i < kAttachmentsPerOwnerMax; ++i) ASSERT_TRUE(files_->Add(plan, Upload{"p.pdf", "application/pdf", pdf, std::nullopt}).ok());
  auto over = files_->Add(plan, Upload{"p.pdf", "application/pdf", pdf, std::nullopt});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "too_many_attachments");
  EXPECT_EQ(Count("attachment_contents"), static_cast<std::int64_t>(kAttachmentsPerOwnerMax));
  // Removing one makes room; the removed one is hidden but kept.
  auto list = files_->List(plan);
  ASSERT_TRUE(list.ok());
  const std::int64_t first = (*list)[0].id;
  ASSERT_TRUE(files_->Remove(plan, first, std::nullopt).ok());
  EXPECT_EQ(files_->Remove(plan, first, std::nullopt).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(files_->Read(plan, first).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(files_->List(plan)->size(), kAttachmentsPerOwnerMax - 1);
  EXPECT_TRUE(files_->Add(plan, Upload{"p.pdf", "application/pdf", pdf, std::nullopt}).ok());
  EXPECT_EQ(Count("attachment_contents"), static_cast<std::int64_t>(kAttachmentsPerOwnerMax) + 1);
}

TEST_F(AttachmentsTest, TheStoreRoundTripsBytesOfEveryValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  auto conn = store_->Acquire();
  auto row = conn->QueryOne("SELECT ?", {store::Blob{all}});
  ASSERT_TRUE(row.ok()) << row.error().message;
  // SQLite answers a parameter's own type; PostgreSQL a bytea.
  EXPECT_EQ((*row)->Bytes(0), all);
  auto empty = conn->QueryOne("SELECT ?", {store::Blob{}});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->Bytes(0), "");
}

}  // namespace
}  // namespace solidum::attachments
