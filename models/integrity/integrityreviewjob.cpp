// The integrity review's worker: what a comparison reads and how its sides are scoped.

#include "connectors/connectorfactory.h"
#include "integrity/backuprecordsource.h"
#include "integrity/connectorrecordsource.h"
#include "integrity/expectedrecordsource.h"
#include "integrity/integrityreview_p.h"
#include "integrity/scopedrecordsource.h"
#include "store/projectstore.h"
#include "transfer/backupcontactstream.h"
#include "transfer/contacttranslator.h"
#include "transfer/transferengine_p.h"
#include "transfer/transferjournal.h"

#include <QLocale>

#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

int indexOfSourceField(const DiffRecordSource &side, const QString &name)
{
    const QList<DiffSourceField> fields = side.fields();
    for (int i = 0; i < fields.size(); ++i) {
        if (fields[i].label.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return side.fieldIndex(name);
}

} // namespace

DiffMapping reviewMapping(const QList<FieldMappingRow> &rows, DiffRecordSource &source,
                          DiffRecordSource &target, QList<FieldMappingRow> *compared)
{
    DiffMapping m;
    QSet<int> targetTaken;
    const QList<DiffSourceField> sf = source.fields();
    for (const FieldMappingRow &row : rows) {
        const bool tags = row.kind == FieldMappingRow::Kind::Tags;
        const bool written = tags || row.kind == FieldMappingRow::Kind::Native
                             || row.kind == FieldMappingRow::Kind::Custom;
        // A value split over several target fields (an address) has no single counterpart.
        if (!written || (!tags && row.targets.size() != 1)) {
            m.notComparedSource.append(row.source);
            continue;
        }
        const int s = tags && indexOfSourceField(source, row.source) < 0
                          ? source.tagsFieldIndex()
                          : indexOfSourceField(source, row.source);
        int t = -1;
        if (tags) {
            t = target.tagsFieldIndex();
        } else {
            t = target.fieldIndex(row.targets.first());
            if (t < 0 && target.acceptsAnyField())
                t = target.addField(row.targets.first());
        }
        if (s < 0 || t < 0 || targetTaken.contains(t)
            || m.fields.size() >= DiffMapping::kMaxFields) {
            m.notComparedSource.append(row.source);
            continue;
        }
        targetTaken.insert(t);
        CompareType type = CompareTypes::forFieldType(row.targetType);
        if (row.targetType == FieldType::Phone)
            type = CompareType::Phone;
        if (tags)
            type = CompareType::Tags;
        const QString name = sf[s].label.isEmpty() ? sf[s].name : sf[s].label;
        m.fields.append(DiffFieldPair{name, sf[s].name, target.fields()[t].name, s, t, type});
        if (compared)
            compared->append(row);
    }
    return m;
}

Result<ReviewDiff> IntegrityReview::work(Job &job, const std::atomic_bool &cancel,
                                         const DiffEngine::ProgressHandler &progress)
{
    ReviewDiff out;
    DiffInput input;
    if (!job.isStage) {
        out.scope = QJsonObject{
            {u"kind"_s, u"files"_s}, {u"source"_s, job.sourcePath}, {u"target"_s, job.targetPath}};
        std::optional<DiffMappingFile> mappingFile;
        if (!job.mappingFile.isEmpty()) {
            Result<DiffMappingFile> file = DiffMappingFile::load(job.mappingFile);
            if (!file)
                return file.error();
            mappingFile = std::move(file).value();
            out.scope.insert(u"mappingFile"_s, job.mappingFile);
        }
        input.source
            = DiffEngine::sideFor(job.sourcePath, mappingFile ? &*mappingFile : nullptr, true);
        input.target
            = DiffEngine::sideFor(job.targetPath, mappingFile ? &*mappingFile : nullptr, false);
        input.mappingFile = std::move(mappingFile);
        Result<DiffResult> result = DiffEngine::compare(std::move(input), &cancel, progress);
        if (!result)
            return result.error();
        out.result = std::make_shared<const DiffResult>(std::move(result).value());
        out.madeAt = QDateTime::currentDateTimeUtc();
        return out;
    }

    ThreadConnection connection(job.projectPath);
    if (!connection.isOpen())
        return connection.error();
    TransferJournal journal(connection.database());
    const Result<QString> folder = TransferEngineDetail::verifiedBackup(journal);
    if (!folder)
        return folder.error();
    const std::optional<TransferRun> run = TransferEngineDetail::latestRun(journal, job.ref);
    if (!run || run->state == RunState::Running)
        return Error(tr("%1 has not run yet: there is nothing to compare.").arg(job.ref.title()));
    const std::optional<TransferRun> setup
        = TransferEngineDetail::latestRun(journal, StageRef{u"setup"_s, 0});
    const QString listId = setup ? setup->counts.value(u"detail"_s).toString() : QString();
    const QString platformName = TargetPlatforms::displayName(job.target.platform);
    if (listId.isEmpty())
        return Error(tr("The initial setup did not record the list on %1.").arg(platformName));
    const int wave = job.ref.stage == u"suppressions"_s ? 0 : job.ref.wave;
    Result<WaveScope> read = WaveScope::read(connection.database(), wave);
    if (!read)
        return read.error();
    auto scope = std::make_shared<const WaveScope>(std::move(read).value());

    std::shared_ptr<TargetConnector> connector = ConnectorFactory::target(job.target, *job.client);
    // Klaviyo keeps only the subscribers in the list; the others are profiles of the account (as
    // the wave's own verification reads it).
    const QString listScope = job.target.platform == TargetPlatform::Klaviyo ? QString() : listId;
    auto expected = std::make_shared<ExpectedRecordSource>(
        std::make_shared<BackupRecordSource>(*folder), job.target.platform);
    auto source = std::make_shared<ScopedRecordSource>(
        expected, [scope](QByteArrayView email) { return scope->upToWave.contains(email); });
    auto readBack = std::make_shared<ConnectorRecordSource>(*connector, listScope);
    auto target = std::make_shared<ScopedRecordSource>(
        readBack, [scope](QByteArrayView email) { return !scope->laterWaves.contains(email); },
        connector);
    if (Status s = source->open(); !s)
        return s.error();
    if (Status s = target->open(); !s)
        return s.error();
    // Brevo keeps tags as lists ("Tag: ..."), which its read-back does not report as tags: they
    // cannot be compared there, and the summary says so rather than count every tagged contact.
    QList<FieldMappingRow> rows = job.rows;
    QStringList notes, notCompared;
    if (job.target.platform == TargetPlatform::Brevo) {
        const auto tags = [](const FieldMappingRow &row) {
            return row.kind == FieldMappingRow::Kind::Tags;
        };
        if (std::any_of(rows.cbegin(), rows.cend(), tags))
            notes.append(tr("Tags are not compared: %1 keeps them as lists, which reading contacts "
                            "back does "
                            "not report.")
                             .arg(platformName));
        for (const FieldMappingRow &row : std::as_const(rows)) {
            if (tags(row))
                notCompared.append(row.source);
        }
        rows.removeIf(tags);
    }
    QList<FieldMappingRow> comparedRows;
    DiffMapping mapping = reviewMapping(rows, *source, *target, &comparedRows);
    mapping.notComparedSource += notCompared;
    // The source's values as the transfer coerced them for the target (ContactTranslator's rules).
    const Result<QList<FieldDefinition>> definitionsRead = BackupContactStream::fields(*folder);
    const QList<FieldDefinition> definitions
        = definitionsRead ? *definitionsRead : QList<FieldDefinition>();
    for (qsizetype i = 0; i < comparedRows.size(); ++i) {
        const FieldMappingRow &row = comparedRows[i];
        if (row.kind == FieldMappingRow::Kind::Tags)
            continue;
        const FieldDefinition *def = nullptr;
        for (const FieldDefinition &d : definitions) {
            if (d.key == row.source || d.label == row.source)
                def = &d;
        }
        expected->expect(mapping.fields[i].sourceField, row.targetType,
                         ContactTranslator::optionsFor(job.target.platform, def));
    }
    if (mapping.fields.isEmpty()) {
        Result<DiffMapping> automatic = DiffMapping::automatic(*source, *target);
        if (!automatic)
            return automatic.error();
        mapping = std::move(automatic).value();
    }
    input.source = source;
    input.target = target;
    input.mapping = std::move(mapping);
    Result<DiffResult> result = DiffEngine::compare(std::move(input), &cancel, progress);
    if (!result)
        return result.error();
    out.result = std::make_shared<const DiffResult>(std::move(result).value());
    out.madeAt = QDateTime::currentDateTimeUtc();
    const DiffSummary &sum = out.result->summary;
    const QLocale l;
    const QString waves = wave == 0 ? tr("wave 0") : tr("waves 0 to %1").arg(wave);
    out.scope = QJsonObject{
        {u"kind"_s, u"stage"_s},
        {u"stage"_s, job.ref.id()},
        {u"wave"_s, wave},
        {u"runId"_s, run->id},
        // A run continued after a stop keeps its id: its end time tells a later run apart.
        {u"runFinishedAt"_s, run->finishedAt.toUTC().toString(Qt::ISODateWithMs)},
        {u"source"_s, *folder},
        {u"target"_s, listScope.isEmpty() ? tr("the %1 account").arg(platformName)
                                          : tr("list %1 on %2").arg(listId, platformName)},
        {u"sourceOutOfScope"_s, source->leftOut()},
        {u"targetOutOfScope"_s, target->leftOut()},
        {u"text"_s,
         tr("The %1 contacts of the backup that %2 wrote (%3 more belong to later waves or are not "
            "transferred) against %4 as read back now (%5 contacts of later waves left out).")
                 .arg(l.toString(sum.sourceRecords), waves,
                      l.toString(std::max<qint64>(0, source->leftOut())),
                      listScope.isEmpty() ? tr("the %1 account").arg(platformName)
                                          : tr("list %1 on %2").arg(listId, platformName),
                      l.toString(std::max<qint64>(0, target->leftOut())))
             + (notes.isEmpty() ? QString() : u' ' + notes.join(u' '))},
    };
    return out;
}
