#include "integrity/diffresult.h"

#include "connectors/consentmapping.h"
#include "csv/csvwriter.h"
#include "integrity/diffrecordsource.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace DiffKinds {

QString key(DiffKind kind)
{
    switch (kind) {
    case DiffKind::ConsentViolation: return u"consent-violation"_s;
    case DiffKind::Missing: return u"missing"_s;
    case DiffKind::Extra: return u"extra"_s;
    case DiffKind::Changed: return u"changed"_s;
    case DiffKind::DuplicateInSource: return u"duplicate-source"_s;
    case DiffKind::DuplicateInTarget: return u"duplicate-target"_s;
    }
    return {};
}

std::optional<DiffKind> fromKey(QStringView k)
{
    for (const DiffKind d : kAll) {
        if (key(d) == k)
            return d;
    }
    return std::nullopt;
}

QString displayName(DiffKind kind)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("DiffKind", s); };
    switch (kind) {
    case DiffKind::ConsentViolation: return tr("Consent violation");
    case DiffKind::Missing: return tr("Missing on target");
    case DiffKind::Extra: return tr("Only on target");
    case DiffKind::Changed: return tr("Changed");
    case DiffKind::DuplicateInSource: return tr("Duplicate in source");
    case DiffKind::DuplicateInTarget: return tr("Duplicate in target");
    }
    return {};
}

} // namespace DiffKinds

namespace {

QJsonObject byStatus(const std::array<qint64, 8> &counts)
{
    QJsonObject o;
    for (const ContactStatus s : kAllContactStatuses) {
        if (counts[size_t(s)])
            o.insert(ContactStatuses::key(s), counts[size_t(s)]);
    }
    return o;
}

QJsonObject byClass(const std::array<qint64, 8> &counts)
{
    qint64 c[3] = {0, 0, 0};
    for (const ContactStatus s : kAllContactStatuses)
        c[int(ConsentMapping::level(s))] += counts[size_t(s)];
    return QJsonObject{{u"suppressed"_s, c[int(ConsentLevel::Suppressed)]},
                       {u"notMarketable"_s, c[int(ConsentLevel::NotMarketable)]},
                       {u"marketable"_s, c[int(ConsentLevel::Marketable)]}};
}

} // namespace

QJsonObject DiffSummary::toJson() const
{
    QJsonObject byField;
    QJsonArray compared;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        byField.insert(fields[i].name, changedByField.value(i));
        compared.append(QJsonObject{{u"name"_s, fields[i].name},
                                    {u"source"_s, fields[i].sourceName},
                                    {u"target"_s, fields[i].targetName},
                                    {u"type"_s, CompareTypes::key(fields[i].type)}});
    }
    byField.insert(u"status"_s, statusChanged);
    return QJsonObject{
        {u"source"_s, source},
        {u"target"_s, target},
        {u"sourceRecords"_s, sourceRecords},
        {u"targetRecords"_s, targetRecords},
        {u"missing"_s, missing},
        {u"extra"_s, extra},
        {u"changed"_s, changed},
        {u"identical"_s, identical},
        {u"consentViolations"_s, consentViolations},
        {u"sourceDuplicates"_s, sourceDuplicates},
        {u"targetDuplicates"_s, targetDuplicates},
        {u"changedByField"_s, byField},
        {u"sourceByStatus"_s, byStatus(sourceByStatus)},
        {u"targetByStatus"_s, byStatus(targetByStatus)},
        {u"sourceByClass"_s, byClass(sourceByStatus)},
        {u"targetByClass"_s, byClass(targetByStatus)},
        {u"fields"_s, compared},
        {u"notCompared"_s, QJsonObject{{u"source"_s, QJsonArray::fromStringList(notComparedSource)},
                                       {u"target"_s, QJsonArray::fromStringList(notComparedTarget)}}},
    };
}

QByteArrayView DiffResult::email(qsizetype i) const
{
    const DiffRow &r = m_rows[size_t(i)];
    const QByteArray &arena = r.emailFromTarget ? m_targetEmails : m_sourceEmails;
    if (qsizetype(r.emailOffset) + r.emailLength > arena.size())
        return {};
    return QByteArrayView(arena.constData() + r.emailOffset, r.emailLength);
}

qsizetype DiffResult::kindBegin(DiffKind kind) const
{
    return m_kindBegin[size_t(kind)];
}

qsizetype DiffResult::count(DiffKind kind) const
{
    return m_kindBegin[size_t(kind) + 1] - m_kindBegin[size_t(kind)];
}

qint64 DiffResult::memoryBytes() const
{
    return qint64(m_rows.capacity() * sizeof(DiffRow)) + m_sourceEmails.capacity() + m_targetEmails.capacity();
}

Result<DiffDetail> DiffResult::detail(qsizetype i) const
{
    if (i < 0 || i >= rowCount())
        return Error(tr("No such difference."));
    const DiffRow &r = m_rows[size_t(i)];
    DiffDetail d;
    d.kind = r.kind;
    d.email = QString::fromUtf8(email(i));
    std::optional<DiffRecordCopy> src, tgt;
    if (r.sourceLocator != DiffRow::kNone && m_source) {
        Result<DiffRecordCopy> c = m_source->readAt(r.sourceLocator, m_sourceColumns);
        if (!c)
            return c.error();
        src = std::move(c).value();
        d.sourceStatus = src->status;
        d.sourceWhere = DiffRecordSource::where(src->where, r.sourceLine);
    }
    if (r.targetLocator != DiffRow::kNone && m_target) {
        Result<DiffRecordCopy> c = m_target->readAt(r.targetLocator, m_targetColumns);
        if (!c)
            return c.error();
        tgt = std::move(c).value();
        d.targetStatus = tgt->status;
        d.targetWhere = DiffRecordSource::where(tgt->where, r.targetLine);
    }
    d.statusDiffers = r.statusDiffers();
    const QList<DiffFieldPair> &fields = summary.fields;
    for (qsizetype f = 0; f < fields.size(); ++f) {
        DiffFieldDetail fd;
        fd.name = fields[f].name;
        fd.sourceValue = src ? src->values.value(f) : QString();
        fd.targetValue = tgt ? tgt->values.value(f) : QString();
        fd.differs = src && tgt && r.differs(int(f));
        d.fields.append(fd);
    }
    return d;
}

Status DiffResult::writeCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error(tr("The differences cannot be written (%1).").arg(file.errorString()), path);
    QString chunk;
    CsvWriter::appendRecord(chunk, {u"email"_s, u"kind"_s, u"field"_s, u"source value"_s, u"target value"_s});
    const auto flush = [&]() -> bool {
        const QByteArray bytes = chunk.toUtf8();
        chunk.clear();
        return file.write(bytes) == bytes.size();
    };
    QByteArray out = CsvWriter::kUtf8Bom;
    file.write(out);
    for (qsizetype i = 0; i < rowCount(); ++i) {
        const DiffRow &r = m_rows[size_t(i)];
        const QString kind = DiffKinds::key(r.kind);
        if (r.kind != DiffKind::Changed && r.kind != DiffKind::ConsentViolation) {
            CsvWriter::appendRecord(chunk, {QString::fromUtf8(email(i)), kind, QString(), QString(), QString()});
        } else {
            Result<DiffDetail> d = detail(i);
            if (!d)
                return d.error();
            if (d->statusDiffers)
                CsvWriter::appendRecord(chunk, {d->email, kind, u"status"_s,
                                                ContactStatuses::key(d->sourceStatus.value_or(ContactStatus::Unknown)),
                                                ContactStatuses::key(d->targetStatus.value_or(ContactStatus::Unknown))});
            for (const DiffFieldDetail &f : std::as_const(d->fields)) {
                if (f.differs)
                    CsvWriter::appendRecord(chunk, {d->email, kind, f.name, f.sourceValue, f.targetValue});
            }
        }
        if (chunk.size() > (1 << 20) && !flush())
            return Error(tr("The differences cannot be written (%1).").arg(file.errorString()), path);
    }
    if (!flush() || !file.commit())
        return Error(tr("The differences cannot be written (%1).").arg(file.errorString()), path);
    return Status::success();
}
