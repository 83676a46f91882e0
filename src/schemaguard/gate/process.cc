#include "schemaguard/gate/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace sg::gate {
namespace {

// Closes a descriptor once, whichever way the function leaves.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

Error io_error(std::string_view what) {
  return Error(ErrorCode::kIoError, fmt::format("{}: {}", what, std::strerror(errno)));
}

// The pipes are served together: a program that fills stdout while we block writing its stdin
// or reading its stderr (or any other pairing) would otherwise never finish.
Status exchange(Fd& in_fd, std::string_view input, Fd& out_fd, Fd& err_fd, std::string& out,
                std::string& err) {
  std::array<char, 16384> buffer;
  std::size_t written = 0;
  if (input.empty()) in_fd.reset();
  while (in_fd.get() >= 0 || out_fd.get() >= 0 || err_fd.get() >= 0) {
    std::array<pollfd, 3> fds{};
    fds[0].fd = out_fd.get();
    fds[0].events = POLLIN;
    fds[1].fd = err_fd.get();
    fds[1].events = POLLIN;
    fds[2].fd = in_fd.get();
    fds[2].events = POLLOUT;
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return io_error("poll");
    }
    if (fds[2].fd >= 0 && (fds[2].revents & POLLOUT) != 0) {
      const ssize_t n = ::send(fds[2].fd, input.data() + written, input.size() - written,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) written += static_cast<std::size_t>(n);
      // A program that exits without reading all its input is not our error; stop writing.
      if (n < 0 && errno != EINTR && errno != EAGAIN) in_fd.reset();
      if (written == input.size()) in_fd.reset();  // end of file for the program
    } else if (fds[2].fd >= 0 && fds[2].revents != 0) {
      in_fd.reset();  // hung up or failed: the program is not reading any more
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error("read");
      if (n == 0) {
        (i == 0 ? out_fd : err_fd).reset();
        continue;
      }
      (i == 0 ? out : err).append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  return ok_status();
}

}  // namespace

Result<ProcessOutput> run_process(const std::vector<std::string>& argv, std::string_view input) {
  if (argv.empty()) return Error(ErrorCode::kInternal, "run_process: no program");
  std::array<int, 2> in_pipe{};
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  // stdin is a socket rather than a pipe so that writing to a program that exited early can
  // use MSG_NOSIGNAL: EPIPE, not a SIGPIPE that kills the caller.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pipe.data()) != 0) {
    return io_error("socketpair");
  }
  Fd in_read(in_pipe[0]);
  Fd in_write(in_pipe[1]);
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) return io_error("pipe");
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) return io_error("pipe");
  Fd err_read(err_pipe[0]);
  Fd err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copies, so only these three reach the child.
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Error(ErrorCode::kIoError,
                 fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned)));
  }
  // Our copies of the child's ends must go, or the reads below never see end of file.
  in_read.reset();
  out_write.reset();
  err_write.reset();

  ProcessOutput result;
  const Status drained = exchange(in_write, input, out_read, err_read, result.out, result.err);
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return io_error("waitpid");
  }
  if (!drained.ok()) return drained.error();
  if (WIFEXITED(wait_status)) {
    result.exit_status = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    result.exit_status = 128 + WTERMSIG(wait_status);
  }
  return result;
}

}  // namespace sg::gate
