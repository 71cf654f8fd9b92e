#pragma once

/**
 * The scheduling weight of the threads that do long bulk work.
 *
 * A wave's engine thread reads, translates and journals contacts as fast as it can, while the
 * network thread, Qt's HTTP thread and the GUI thread wake for a moment at each answer or event.
 * On two cores, when all want the CPU at once, the woken threads waited behind the bulk work
 * (measured from /proc/<pid>/task/<tid>/schedstat: Qt's HTTP thread spent more time runnable and
 * waiting than running), and every request waited with them.
 */
namespace ThreadPriority {

/// How much nicer the bulk work runs than the threads it waits on (Linux nice levels: at 5 a
/// thread weighs about a third of one at 0 when both want the same core).
constexpr int kBackgroundNice = 5;

/// Lowers the calling thread's scheduling priority once: later calls on the same thread change
/// nothing. Linux: this thread's nice level (other threads keep theirs; threads it starts later
/// inherit it) goes up by kBackgroundNice, at most to 19. Elsewhere: QThread::LowPriority.
/// False when the system refused (the thread keeps running as it was).
bool lowerCurrentThread();

/// The calling thread's nice level on Linux (0 elsewhere).
int currentNice();

} // namespace ThreadPriority
