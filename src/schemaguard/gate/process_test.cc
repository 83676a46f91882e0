#include "schemaguard/gate/process.h"

#include <gtest/gtest.h>

namespace sg::gate {
namespace {

TEST(RunProcess, CapturesBothStreamsAndTheExitStatus) {
  auto output = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(output.ok()) << output.error().message();
  EXPECT_EQ(output->out, "out\n");
  EXPECT_EQ(output->err, "err\n");
  EXPECT_EQ(output->exit_status, 3);
}

TEST(RunProcess, LargeInputAndOutputDoNotDeadlock) {
  // More than any pipe buffer each way, so writing and reading must interleave.
  std::string input;
  for (int i = 0; i < 200'000; ++i) input += "0123456789\n";
  auto output = run_process({"cat"}, input);
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->exit_status, 0);
  EXPECT_EQ(output->out, input);
}

TEST(RunProcess, AProgramThatIgnoresItsInputIsNotAnError) {
  const std::string input(4 << 20, 'x');
  auto output = run_process({"true"}, input);
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->exit_status, 0);
}

TEST(RunProcess, NoShellIsInvolved) {
  auto output = run_process({"echo", "$HOME", "a;b", "*"});
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->out, "$HOME a;b *\n");
}

TEST(RunProcess, MissingProgramIsAnError) {
  auto output = run_process({"schemaguard-no-such-program"});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code(), ErrorCode::kIoError);
  EXPECT_NE(output.error().message().find("cannot run schemaguard-no-such-program"),
            std::string::npos);
}

}  // namespace
}  // namespace sg::gate
