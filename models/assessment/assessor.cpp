#include "assessment/assessor.h"

#include "assessment/inventorybuilder.h"
#include "csv/csvreader.h"
#include "exports/exportfiles.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAssessment, "stagecoach.assessment", QtWarningMsg)

AssessmentOutcome Assessor::assess(const QStringList &paths, const ProgressFn &progress)
{
    AssessmentOutcome outcome;
    if (paths.isEmpty()) {
        outcome.error = Error{tr("no export file was given."), QString(),
                              tr("Add a Mailchimp, Brevo or Klaviyo export, or a CSV with an email column.")};
        return outcome;
    }

    // Every part of every file, known before reading so that progress has a total.
    QList<ExportPart> parts;
    QStringList seen;
    qint64 total = 0;
    for (const QString &path : paths) {
        const QString canonical = QFileInfo(path).absoluteFilePath();
        if (seen.contains(canonical))
            continue;
        seen.append(canonical);
        Result<QList<ExportPart>> listed = ExportFiles::list(canonical);
        if (!listed) {
            outcome.error = listed.error();
            return outcome;
        }
        for (const ExportPart &p : listed.value()) {
            parts.append(p);
            total += p.size;
        }
    }

    InventoryBuilder builder;
    qint64 doneBefore = 0;
    std::optional<ExportDialect> platform;
    QString platformPart;
    for (const ExportPart &part : std::as_const(parts)) {
        Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(part);
        if (!device) {
            outcome.error = device.error();
            return outcome;
        }
        CsvReader reader(part.displayName());
        bool header = true;
        const auto onRecord = [&](qint64 line, std::span<const QByteArrayView> fields) {
            if (!header) {
                builder.addRecord(line, fields);
                return true;
            }
            header = false;
            QStringList names;
            for (const QByteArrayView f : fields)
                names.append(QString::fromUtf8(f));
            Result<ExportLayout> layout = ExportDialectDetector::recognise(part.fileName(), names);
            if (!layout) {
                reader.fail(line, layout.error().message, layout.error().hint);
                return false;
            }
            if (layout->dialect != ExportDialect::Generic) {
                if (platform && *platform != layout->dialect) {
                    reader.fail(line,
                                tr("this is a %1 export, but %2 is a %3 export.")
                                    .arg(ExportDialects::displayName(layout->dialect), platformPart,
                                         ExportDialects::displayName(*platform)),
                                tr("Assess the exports of one platform at a time."));
                    return false;
                }
                platform = layout->dialect;
                platformPart = part.displayName();
            }
            builder.beginPart(part, layout.value());
            return true;
        };
        const auto onChunk = [&](qint64 bytesRead) {
            return !progress || progress(AssessmentProgress{part.displayName(), doneBefore + bytesRead, total,
                                                            builder.rowsSoFar()});
        };
        if (!reader.read(*device.value(), onRecord, onChunk)) {
            if (reader.hasError())
                outcome.error = reader.error();
            else
                outcome.cancelled = true;
            qCInfo(lcAssessment) << "assessment stopped in" << part.displayName()
                                 << (outcome.cancelled ? "(cancelled)" : "(error)");
            return outcome;
        }
        builder.endPart(reader);
        doneBefore += reader.bytesRead();
    }
    outcome.inventory = builder.finish();
    return outcome;
}

AssessmentOutcome assessForPromise(QPromise<AssessmentOutcome> &promise, const QStringList &paths)
{
    promise.setProgressRange(0, 1000);
    QElapsedTimer sinceReport;
    sinceReport.start();
    bool first = true;
    const auto progress = [&](const AssessmentProgress &p) {
        if (promise.isCanceled())
            return false;
        if (first || sinceReport.elapsed() >= 100) {
            first = false;
            sinceReport.restart();
            const int permille = p.bytesTotal > 0 ? int(qMin<qint64>(1000, p.bytesDone * 1000 / p.bytesTotal)) : 0;
            promise.setProgressValueAndText(
                permille, Assessor::tr("%1: %2 contacts read").arg(p.part, QLocale().toString(p.rows)));
        }
        return true;
    };
    AssessmentOutcome outcome = Assessor::assess(paths, progress);
    if (promise.isCanceled())
        outcome.cancelled = true;
    return outcome;
}
