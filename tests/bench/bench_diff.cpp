// Benchmark and correctness check of the integrity diff: `stagecoach diff` against a pandas merge
// and sqlite3 joins on the same generated pair of exports.
//
//   bench_diff [--contacts N] [--stagecoach PATH] [--keep DIR] [--seed S] [--no-compare]
//
// Writes N contacts as Mailchimp's audience export (a zip of the subscribed, unsubscribed and
// cleaned CSVs) and the same people as a Brevo contact export with known differences (see
// diffpair.h), runs `stagecoach diff SOURCE.zip TARGET.csv --json` as a child process, measures its
// wall time and peak memory (the child's ru_maxrss from wait4) and checks every count it prints
// against the generator's. Then does the same diff with pandas (diff_pandas.py) and with sqlite3
// (diff_sqlite.sql), loading included, and checks they agree. Exits non-zero when any count is
// wrong or stagecoach fails; the speed and memory targets are printed, never asserted:
// Stagecoach at least 10x faster than the faster of pandas and sqlite3, peak memory under 300 MB.

#include "diffpair.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <vector>

#ifndef STAGECOACH_BINARY
#define STAGECOACH_BINARY ""
#endif
#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QString num(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}
QString mb(qint64 bytes)
{
    return num(double(bytes) / 1e6, 1) + QStringLiteral(" MB");
}

struct ChildRun
{
    bool started = false;
    int exitCode = -1;
    double seconds = 0;
    qint64 peakKb = 0;
    QByteArray stdoutText;
    QByteArray stderrText;
};

/** Runs argv in `cwd` (stdin from `stdinFile` if set) and waits; wall time and ru_maxrss of the
 * child. */
ChildRun runChild(const QStringList &argv, const QString &cwd, const QString &stdinFile,
                  const QString &scratch)
{
    ChildRun run;
    const QByteArray outPath
        = QFile::encodeName(QDir(scratch).filePath(QStringLiteral("child.out")));
    const QByteArray errPath
        = QFile::encodeName(QDir(scratch).filePath(QStringLiteral("child.err")));
    const QByteArray inPath = QFile::encodeName(stdinFile);
    const QByteArray dir = QFile::encodeName(cwd);
    std::vector<QByteArray> args;
    for (const QString &a : argv)
        args.push_back(QFile::encodeName(a));
    std::vector<char *> cargs;
    for (QByteArray &a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);

    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid < 0)
        return run;
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        if (!dir.isEmpty() && chdir(dir.constData()) != 0)
            _exit(126);
        if (!inPath.isEmpty()) {
            const int in = open(inPath.constData(), O_RDONLY);
            if (in < 0 || dup2(in, 0) < 0)
                _exit(126);
        }
        const int o = open(outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        execvp(cargs[0], cargs.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid)
        return run;
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.peakKb = usage.ru_maxrss;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.started = run.exitCode != 127 && run.exitCode != 126;
    QFile o(QString::fromLocal8Bit(outPath));
    if (o.open(QIODevice::ReadOnly))
        run.stdoutText = o.readAll();
    QFile e(QString::fromLocal8Bit(errPath));
    if (e.open(QIODevice::ReadOnly))
        run.stderrText = e.readAll();
    return run;
}

using Counts = QMap<QString, qint64>;

/** The expectation as the keys the three tools print ("missing", "field:SMS" ...). */
Counts expectedCounts(const DiffExpectation &e)
{
    Counts c{{QStringLiteral("sourceRecords"), e.sourceRecords},
             {QStringLiteral("targetRecords"), e.targetRecords},
             {QStringLiteral("missing"), e.missing},
             {QStringLiteral("extra"), e.extra},
             {QStringLiteral("changed"), e.changed},
             {QStringLiteral("identical"), e.identical},
             {QStringLiteral("consentViolations"), e.consentViolations}};
    for (auto it = e.changedByField.cbegin(); it != e.changedByField.cend(); ++it)
        c.insert(QStringLiteral("field:") + it.key(), it.value());
    return c;
}

/** "key value" lines (pandas and sqlite3 print these). */
Counts parseLines(const QByteArray &text)
{
    Counts c;
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> parts = line.trimmed().split(' ');
        if (parts.size() == 2)
            c.insert(QString::fromUtf8(parts[0]), parts[1].toLongLong());
    }
    return c;
}

/** The one JSON object of `stagecoach diff --json`; changedByField keyed by the Brevo attribute. */
std::optional<Counts> parseStagecoach(const QByteArray &text, QString &problem)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.trimmed(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        problem = QStringLiteral("its output is not one JSON object (%1)").arg(error.errorString());
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Counts c;
    for (const char *key : {"sourceRecords", "targetRecords", "missing", "extra", "changed",
                            "identical", "consentViolations"}) {
        const QString k = QString::fromLatin1(key);
        if (!o.value(k).isDouble()) {
            problem = QStringLiteral("its JSON has no number \"%1\"").arg(k);
            return std::nullopt;
        }
        c.insert(k, o.value(k).toInteger());
    }
    if (!o.value(QStringLiteral("changedByField")).isObject()) {
        problem = QStringLiteral("its JSON has no object \"changedByField\"");
        return std::nullopt;
    }
    // A field may be named by its source column or its target attribute: both are accepted.
    const QJsonObject byField = o.value(QStringLiteral("changedByField")).toObject();
    for (auto it = byField.constBegin(); it != byField.constEnd(); ++it) {
        QString name = it.key();
        for (const DiffPair::MappedField &f : DiffPair::kChangedFields) {
            if (name.compare(QString::fromLatin1(f.source), Qt::CaseInsensitive) == 0
                || name.compare(QString::fromLatin1(f.target), Qt::CaseInsensitive) == 0)
                name = QString::fromLatin1(f.target);
        }
        c[QStringLiteral("field:") + name] += it.value().toInteger();
    }
    return c;
}

/** The differences between what a tool found and the expectation; empty when they agree. */
QStringList mismatches(const Counts &found, const Counts &expected)
{
    QStringList problems;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (found.value(it.key(), 0) != it.value())
            problems.append(QStringLiteral("%1 %2 (expected %3)")
                                .arg(it.key())
                                .arg(found.value(it.key(), 0))
                                .arg(it.value()));
    }
    // Nothing else may be reported as changed.
    for (auto it = found.cbegin(); it != found.cend(); ++it) {
        if (!expected.contains(it.key()) && it.value() != 0)
            problems.append(QStringLiteral("%1 %2 (expected 0)").arg(it.key()).arg(it.value()));
    }
    return problems;
}

struct ToolResult
{
    QString name;
    bool ran = false;
    double seconds = 0;
    double peakMb = 0;
    QStringList problems;
};

void printResult(const ToolResult &r)
{
    out() << r.name << ',' << num(r.seconds, 2) << ',' << num(r.peakMb, 1) << ','
          << (r.problems.isEmpty() ? QStringLiteral("ok") : QStringLiteral("WRONG")) << '\n';
    for (const QString &p : r.problems)
        out() << "#   " << r.name << ": " << p << '\n';
    out().flush();
}

QString pythonWithPandas()
{
    for (const QString &candidate :
         {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        const QString exe = candidate.startsWith(u'/')
                                ? (QFile::exists(candidate) ? candidate : QString())
                                : QStandardPaths::findExecutable(candidate);
        if (exe.isEmpty())
            continue;
        QTemporaryDir scratch;
        const ChildRun probe
            = runChild({exe, QStringLiteral("-c"), QStringLiteral("import pandas")}, QString(),
                       QString(), scratch.path());
        if (probe.exitCode == 0)
            return exe;
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    qint64 contacts = 1000000;
    QString stagecoach = QStringLiteral(STAGECOACH_BINARY);
    QString keep;
    std::uint64_t seed = 20261123;
    bool compare = true;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == u"--contacts")
            contacts = next.toLongLong(), ++i;
        else if (a == u"--stagecoach")
            stagecoach = next, ++i;
        else if (a == u"--keep")
            keep = next, ++i;
        else if (a == u"--seed")
            seed = next.toULongLong(), ++i;
        else if (a == u"--no-compare")
            compare = false;
        else {
            QTextStream(stderr)
                << "usage: bench_diff [--contacts N] [--stagecoach PATH] [--keep DIR] [--seed S] "
                   "[--no-compare]\n";
            return 2;
        }
    }
    if (contacts < 100) {
        QTextStream(stderr) << "--contacts must be at least 100\n";
        return 2;
    }

    QTemporaryDir temp;
    const QString dir = keep.isEmpty() ? temp.path() : keep;
    QDir().mkpath(dir);
    QTemporaryDir scratch;

    // 1. The pair.
    DiffPairFiles files;
    DiffExpectation expected;
    QString error;
    QElapsedTimer timer;
    timer.start();
    if (!DiffPair::write(dir, contacts, seed, files, expected, error)) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    // The files just written (600 MB at 1M contacts) are still being written back to disk: wait
    // for that, so that no tool is timed while the kernel flushes them. Every tool then reads
    // them from the page cache, as a second run would.
    sync();
    out() << "# pair: " << contacts << " source contacts as a Mailchimp export (3 CSVs, "
          << mb(files.sourceCsvBytes) << ", zipped " << mb(files.sourceZipBytes) << "); target "
          << expected.targetRecords << " rows as a Brevo export (" << mb(files.targetBytes)
          << "); written in " << num(double(timer.nsecsElapsed()) / 1e9, 1) << " s to " << dir
          << '\n';
    out() << "# expected: missing " << expected.missing << ", extra " << expected.extra
          << ", changed " << expected.changed << ", identical " << expected.identical
          << ", consent violations " << expected.consentViolations << "; changed per field:";
    for (auto it = expected.changedByField.cbegin(); it != expected.changedByField.cend(); ++it)
        out() << ' ' << it.key() << ' ' << it.value();
    out() << '\n'
          << "# not differences: " << expected.emailCaseOnly << " addresses differing in case, "
          << expected.emailSpaces << " with spaces around, " << expected.nameTrailingSpace
          << " first names with a trailing space, every SMS in E.164 vs spaced; quoted values: "
          << expected.quotedWithComma << " with a comma, " << expected.quotedWithNewline
          << " over two lines\n";
    out() << "tool,seconds,peak_MB,counts\n" << Qt::flush;
    const Counts want = expectedCounts(expected);

    // 2. Stagecoach, as a black box.
    bool failed = false;
    ToolResult sc{QStringLiteral("stagecoach"), false, 0, 0, {}};
    {
        const ChildRun run = runChild({stagecoach, QStringLiteral("diff"), files.sourceZip,
                                       files.target, QStringLiteral("--json")},
                                      dir, QString(), scratch.path());
        sc.ran = run.started;
        sc.seconds = run.seconds;
        sc.peakMb = double(run.peakKb) / 1024.0;
        QString problem;
        if (!run.started)
            sc.problems.append(QStringLiteral("cannot run %1").arg(stagecoach));
        else if (run.exitCode != 0)
            sc.problems.append(QStringLiteral("exit code %1: %2")
                                   .arg(run.exitCode)
                                   .arg(QString::fromUtf8(run.stderrText.trimmed().right(600))));
        else if (const auto found = parseStagecoach(run.stdoutText, problem))
            sc.problems = mismatches(*found, want);
        else
            sc.problems.append(problem);
        printResult(sc);
        failed = !sc.problems.isEmpty();
    }

    // 3. The same diff with pandas and with sqlite3, loading included.
    std::optional<ToolResult> fastest;
    if (compare) {
        const QString python = pythonWithPandas();
        if (python.isEmpty()) {
            out() << "# pandas comparison skipped: apt-get install python3-pandas\n" << Qt::flush;
        } else {
            const ChildRun run
                = runChild({python, QStringLiteral(BENCH_SOURCE_DIR "/diff_pandas.py"), dir}, dir,
                           QString(), scratch.path());
            ToolResult r{QStringLiteral("pandas"),
                         run.exitCode == 0,
                         run.seconds,
                         double(run.peakKb) / 1024.0,
                         {}};
            r.problems = run.exitCode == 0
                             ? mismatches(parseLines(run.stdoutText), want)
                             : QStringList{QString::fromUtf8(run.stderrText.trimmed().right(600))};
            printResult(r);
            failed = failed || !r.problems.isEmpty();
            if (r.ran && (!fastest || r.seconds < fastest->seconds))
                fastest = r;
        }
        const QString sqlite = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
        if (sqlite.isEmpty()) {
            out() << "# sqlite3 comparison skipped: apt-get install sqlite3\n" << Qt::flush;
        } else {
            QFile::remove(QDir(dir).filePath(QStringLiteral("diff.db")));
            const ChildRun run
                = runChild({sqlite, QStringLiteral("diff.db")}, dir,
                           QStringLiteral(BENCH_SOURCE_DIR "/diff_sqlite.sql"), scratch.path());
            QFile::remove(QDir(dir).filePath(QStringLiteral("diff.db")));
            ToolResult r{QStringLiteral("sqlite3"),
                         run.exitCode == 0,
                         run.seconds,
                         double(run.peakKb) / 1024.0,
                         {}};
            r.problems = run.exitCode == 0
                             ? mismatches(parseLines(run.stdoutText), want)
                             : QStringList{QString::fromUtf8(run.stderrText.trimmed().right(600))};
            // sqlite3 exits 0 after an error in a script read from stdin: an error message is a
            // failure.
            if (r.problems.isEmpty() && !run.stderrText.trimmed().isEmpty())
                r.problems.append(QString::fromUtf8(run.stderrText.trimmed().right(600)));
            printResult(r);
            failed = failed || !r.problems.isEmpty();
            if (r.ran && (!fastest || r.seconds < fastest->seconds))
                fastest = r;
        }
    } else {
        out() << "# pandas and sqlite3 comparisons skipped (--no-compare)\n";
    }

    // 4. The targets, printed.
    if (sc.ran && sc.problems.isEmpty()) {
        if (fastest) {
            const double speedup = fastest->seconds / qMax(sc.seconds, 1e-6);
            out() << "# target speed (>= 10x the faster of pandas and sqlite3): "
                  << (speedup >= 10.0 ? "met" : "NOT met") << " (" << num(speedup, 1)
                  << "x: stagecoach " << num(sc.seconds, 2) << " s, " << fastest->name << ' '
                  << num(fastest->seconds, 2) << " s)\n";
        } else {
            out() << "# target speed: not checked (no comparison ran)\n";
        }
        out() << "# target memory (peak < 300 MB): " << (sc.peakMb < 300.0 ? "met" : "NOT met")
              << " (" << num(sc.peakMb, 1) << " MB)\n";
    } else {
        out() << "# targets not checked: stagecoach did not give the right counts\n";
    }
    out().flush();
    return failed ? 1 : 0;
}
