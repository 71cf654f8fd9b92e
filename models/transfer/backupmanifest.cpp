#include "transfer/backupmanifest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QDateTime timeFrom(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

} // namespace

const BackupFileEntry *BackupManifest::file(const QString &name) const
{
    for (const BackupFileEntry &f : files) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

qint64 BackupManifest::contacts() const
{
    qint64 n = 0;
    for (qint64 c : contactsByStatus)
        n += c;
    return n;
}

QJsonObject BackupManifest::toJson() const
{
    QJsonArray fileArray;
    for (const BackupFileEntry &f : files) {
        fileArray.append(QJsonObject{{u"name"_s, f.name},
                                     {u"records"_s, f.records},
                                     {u"bytes"_s, f.bytes},
                                     {u"sha256"_s, f.sha256}});
    }
    QJsonObject byStatus;
    for (ContactStatus s : kAllContactStatuses) {
        if (contactsByStatus.value(s) > 0)
            byStatus.insert(ContactStatuses::key(s), contactsByStatus.value(s));
    }
    return QJsonObject{
        {u"format"_s, kFormat},
        {u"source"_s, QJsonObject{{u"platform"_s, platform},
                                  {u"accountId"_s, accountId},
                                  {u"account"_s, accountName},
                                  {u"audienceId"_s, audienceId},
                                  {u"audience"_s, audienceName}}},
        {u"started"_s, timeJson(started)},
        {u"finished"_s, timeJson(finished)},
        {u"files"_s, fileArray},
        {u"skipped"_s, QJsonArray::fromStringList(skipped)},
        {u"contactsByStatus"_s, byStatus},
    };
}

Result<BackupManifest> BackupManifest::fromJson(const QJsonObject &json, const QString &where)
{
    const auto bad = [&where](const QString &what) {
        return Error(tr("The backup manifest is damaged: %1.").arg(what), where,
                     tr("Make a new backup."));
    };
    if (json.value(u"format"_s).toInt() != kFormat)
        return bad(tr("unknown format %1").arg(json.value(u"format"_s).toVariant().toString()));
    BackupManifest m;
    const QJsonObject source = json.value(u"source"_s).toObject();
    m.platform = source.value(u"platform"_s).toString();
    m.accountId = source.value(u"accountId"_s).toString();
    m.accountName = source.value(u"account"_s).toString();
    m.audienceId = source.value(u"audienceId"_s).toString();
    m.audienceName = source.value(u"audience"_s).toString();
    m.started = timeFrom(json.value(u"started"_s));
    m.finished = timeFrom(json.value(u"finished"_s));
    if (!m.finished.isValid())
        return bad(tr("no finishing time"));
    for (const QJsonValue &v : json.value(u"files"_s).toArray()) {
        const QJsonObject f = v.toObject();
        BackupFileEntry e;
        e.name = f.value(u"name"_s).toString();
        e.records = qint64(f.value(u"records"_s).toDouble(-1));
        e.bytes = qint64(f.value(u"bytes"_s).toDouble(-1));
        e.sha256 = f.value(u"sha256"_s).toString();
        // A name with a path in it could point outside the backup.
        if (e.name.isEmpty() || e.name.contains(u'/') || e.name.contains(u'\\')
            || e.name.startsWith(u'.') || e.records < 0 || e.bytes < 0 || e.sha256.size() != 64)
            return bad(tr("file entry \"%1\"").arg(e.name));
        m.files.append(e);
    }
    for (const QJsonValue &v : json.value(u"skipped"_s).toArray())
        m.skipped.append(v.toString());
    const QJsonObject byStatus = json.value(u"contactsByStatus"_s).toObject();
    for (auto it = byStatus.begin(); it != byStatus.end(); ++it) {
        const auto s = ContactStatuses::fromKey(it.key());
        if (!s)
            return bad(tr("unknown status \"%1\"").arg(it.key()));
        m.contactsByStatus.insert(*s, qint64(it.value().toDouble()));
    }
    return m;
}

Result<BackupManifest> BackupManifest::load(const QString &folder)
{
    const QString path = QDir(folder).filePath(kFileName);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(tr("The backup has no manifest: it did not finish."), path,
                     tr("Make a new backup."));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        return Error(
            tr("The backup manifest is not valid JSON (%1).").arg(parseError.errorString()), path,
            tr("Make a new backup."));
    }
    auto m = fromJson(doc.object(), path);
    if (m)
        m->folder = QDir(folder).absolutePath();
    return m;
}
