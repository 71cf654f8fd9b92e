#include "connectors/fieldmappingrepository.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

using Kind = FieldMappingRow::Kind;
constexpr Kind kKinds[] = {Kind::Native, Kind::Custom, Kind::Consent, Kind::Tags, Kind::Unmapped};

QString targetsJson(const QStringList &targets)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(targets)).toJson(QJsonDocument::Compact));
}

QStringList targetsFromJson(const QString &text)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out.append(v.toString());
    return out;
}

} // namespace

QString FieldMappingRepository::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Native: return u"native"_s;
    case Kind::Custom: return u"custom"_s;
    case Kind::Consent: return u"consent"_s;
    case Kind::Tags: return u"tags"_s;
    case Kind::Unmapped: return u"unmapped"_s;
    }
    return {};
}

std::optional<FieldMappingRow::Kind> FieldMappingRepository::kindFromKey(QStringView key)
{
    for (const Kind k : kKinds) {
        if (kindKey(k) == key)
            return k;
    }
    return std::nullopt;
}

Error FieldMappingRepository::failed(const QString &why) const
{
    return Error{tr("the field mapping could not be saved: %1.").arg(why), QFileInfo(m_db.databaseName()).fileName(),
                 tr("Check that the disk is not full and the file is writable.")};
}

QList<MappedField> FieldMappingRepository::load(TargetPlatform target) const
{
    QList<MappedField> out;
    QSqlQuery q(m_db);
    q.prepare(u"SELECT source, source_type, kind, targets, target_type, note, edited FROM field_mapping"
              " WHERE target = ? ORDER BY position, source"_s);
    q.addBindValue(TargetPlatforms::key(target));
    if (!q.exec())
        return out;
    while (q.next()) {
        MappedField f;
        f.row.source = q.value(0).toString();
        f.row.sourceType = FieldTypes::fromKey(q.value(1).toString()).value_or(FieldType::Text);
        // A kind this version does not know (a newer file cannot get here) is read as not written.
        f.row.kind = kindFromKey(q.value(2).toString()).value_or(Kind::Unmapped);
        f.row.targets = targetsFromJson(q.value(3).toString());
        f.row.targetType = FieldTypes::fromKey(q.value(4).toString()).value_or(FieldType::Text);
        f.row.note = q.value(5).toString();
        f.edited = q.value(6).toBool();
        out.append(f);
    }
    return out;
}

Status FieldMappingRepository::save(TargetPlatform target, const QList<MappedField> &rows)
{
    if (!m_db.transaction())
        return failed(m_db.lastError().text());
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO field_mapping (target, source, position, source_type, kind, targets, target_type, note, edited)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, source) DO UPDATE SET"
              " position = excluded.position, source_type = excluded.source_type, kind = excluded.kind,"
              " targets = excluded.targets, target_type = excluded.target_type, note = excluded.note,"
              " edited = excluded.edited"_s);
    for (int i = 0; i < rows.size(); ++i) {
        const FieldMappingRow &r = rows.at(i).row;
        q.bindValue(0, TargetPlatforms::key(target));
        q.bindValue(1, r.source.isNull() ? QString(u""_s) : r.source);
        q.bindValue(2, i);
        q.bindValue(3, FieldTypes::key(r.sourceType));
        q.bindValue(4, kindKey(r.kind));
        q.bindValue(5, targetsJson(r.targets));
        q.bindValue(6, FieldTypes::key(r.targetType));
        q.bindValue(7, r.note.isNull() ? QString(u""_s) : r.note); // a null QString binds as NULL
        q.bindValue(8, rows.at(i).edited ? 1 : 0);
        if (!q.exec()) {
            const QString why = q.lastError().text();
            m_db.rollback();
            return failed(why);
        }
    }
    if (!m_db.commit()) {
        const QString why = m_db.lastError().text();
        m_db.rollback();
        return failed(why);
    }
    return Status::success();
}

Status FieldMappingRepository::clear(TargetPlatform target)
{
    QSqlQuery q(m_db);
    q.prepare(u"DELETE FROM field_mapping WHERE target = ?"_s);
    q.addBindValue(TargetPlatforms::key(target));
    if (!q.exec())
        return failed(q.lastError().text());
    return Status::success();
}
