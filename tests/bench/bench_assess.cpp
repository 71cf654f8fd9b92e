// Benchmark: assess a generated Mailchimp-style audience export and print throughput and memory.
//
//   bench_assess [ROWS...] [--keep DIR]
//
// For each size it writes subscribed/unsubscribed/cleaned CSVs (about 270 bytes a row, the layout of
// Mailchimp's export), then assesses them on one thread and prints MB/s, rows/s and the peak
// resident memory of the assessment (the kernel's high-water mark, reset after the files are
// written). Target: at least 150 MB/s on one core, memory independent of the file size (the only
// structure that grows is the duplicate index, about 32 bytes per distinct address).

#include "assessment/assessor.h"
#include "benchcontacts.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

#include <cstdio>
#include <random>

namespace {

qint64 peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Writes one status file; returns bytes written.
qint64 writeExport(const QString &path, qint64 first, qint64 rows, int kind, std::mt19937_64 &rng)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    QByteArray buffer = BenchContacts::mailchimpHeader(kind);
    qint64 written = 0;
    char line[1024];
    char email[96];
    char company[96];
    for (qint64 i = first; i < first + rows; ++i) {
        const BenchContacts::Contact c{i, rng()};
        const auto r = c.r;
        // About 1 % duplicates differing only in case, and 0.2 % invalid addresses.
        const qint64 id = (r % 100 == 0 && i > 10) ? i - 7 : i;
        const bool invalid = (r >> 20) % 500 == 0;
        std::snprintf(email, sizeof email, "%s%lld@%s", (r % 100 == 0 && i > 10) ? "USER" : "user",
                      static_cast<long long>(id), invalid ? "example" : "example.com");
        std::snprintf(company, sizeof company, "Northwind %s", c.last());
        int n = BenchContacts::mailchimpRow(line, sizeof line, c, email, company);
        n += std::snprintf(line + n, sizeof line - size_t(n), "%s", BenchContacts::mailchimpStatusColumns(kind));
        buffer.append(line, n);
        buffer.append("\r\n", 2);
        if (buffer.size() > (1 << 20)) {
            written += f.write(buffer);
            buffer.clear();
        }
    }
    written += f.write(buffer);
    return written;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QString keep;
    const int keepAt = int(args.indexOf(QStringLiteral("--keep")));
    if (keepAt >= 0 && keepAt + 1 < args.size()) {
        keep = args.at(keepAt + 1);
        args.remove(keepAt, 2);
    }
    QList<qint64> sizes;
    for (const QString &a : args)
        sizes.append(a.toLongLong());
    if (sizes.isEmpty())
        sizes = {1000000};

    QTemporaryDir temp;
    QTextStream out(stdout);
    out << "rows,bytes,seconds,cpu_seconds,MB_per_s,rows_per_s,peak_rss_MB\n" << Qt::flush;
    for (const qint64 rows : sizes) {
        const QString dir = keep.isEmpty() ? temp.path() : keep;
        QDir().mkpath(dir);
        std::mt19937_64 rng(20261123);
        const qint64 unsub = rows / 10, cleaned = rows / 20, subscribed = rows - unsub - cleaned;
        const QStringList files = {QDir(dir).filePath(QStringLiteral("subscribed_members_export_bench.csv")),
                                   QDir(dir).filePath(QStringLiteral("unsubscribed_members_export_bench.csv")),
                                   QDir(dir).filePath(QStringLiteral("cleaned_members_export_bench.csv"))};
        qint64 bytes = writeExport(files[0], 0, subscribed, 0, rng);
        bytes += writeExport(files[1], subscribed, unsub, 1, rng);
        bytes += writeExport(files[2], subscribed + unsub, cleaned, 2, rng);

        resetPeakRss();
        const double cpu0 = cpuSeconds();
        QElapsedTimer timer;
        timer.start();
        const AssessmentOutcome outcome = Assessor::assess(files);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpu0;
        if (!outcome.inventory) {
            QTextStream(stderr) << "assessment failed: " << (outcome.error ? outcome.error->toString() : QStringLiteral("cancelled")) << Qt::endl;
            return 1;
        }
        if (outcome.inventory->total != rows) {
            QTextStream(stderr) << "expected " << rows << " rows, assessed " << outcome.inventory->total << Qt::endl;
            return 1;
        }
        out << rows << ',' << bytes << ',' << QString::number(seconds, 'f', 3) << ',' << QString::number(cpu, 'f', 3) << ','
            << QString::number(double(bytes) / 1e6 / seconds, 'f', 1) << ','
            << QString::number(double(rows) / seconds, 'f', 0) << ',' << QString::number(double(peakRssKb()) / 1024.0, 'f', 1)
            << '\n'
            << Qt::flush;
        out << "# duplicates " << outcome.inventory->duplicates << ", invalid " << outcome.inventory->invalidEmails
            << ", fields " << outcome.inventory->fields.size() << ", tags " << outcome.inventory->tags.size() << '\n'
            << Qt::flush;
        if (keep.isEmpty()) {
            for (const QString &f : files)
                QFile::remove(f);
        }
    }
    return 0;
}
