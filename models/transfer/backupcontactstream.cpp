#include "transfer/backupcontactstream.h"

#include "transfer/backupformat.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

BackupContactStream::BackupContactStream(const QString &backupFolder, BackupLineParser::Parts parts)
    : m_file(QDir(backupFolder).filePath(BackupFormat::kContacts)), m_parts(parts)
{
}

Status BackupContactStream::open()
{
    if (!m_file.open(QIODevice::ReadOnly))
        return Error(tr("The backup's contacts cannot be read (%1).").arg(m_file.errorString()),
                     m_file.fileName(), tr("Run the Backup stage again."));
    m_line = 0;
    return Status::success();
}

Result<std::optional<SourceContact>> BackupContactStream::next()
{
    while (!m_file.atEnd()) {
        const QByteArray bytes = m_file.readLine();
        ++m_line;
        const QByteArrayView line = QByteArrayView(bytes).trimmed();
        if (line.isEmpty())
            continue;
        const auto where = [this] { return u"%1 line %2"_s.arg(m_file.fileName()).arg(m_line); };
        if (std::optional<Result<SourceContact>> fast = m_parser.contact(line, m_parts)) {
            if (!*fast)
                return Error(fast->error().message, where(), tr("Run the Backup stage again."));
            return std::optional<SourceContact>(std::move(*fast).value());
        }
        // Not a line simdjson takes: QJsonDocument reads it and says what is wrong with it.
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(
            QByteArray::fromRawData(line.constData(), line.size()), &parseError);
        if (!doc.isObject())
            return Error(tr("The backup holds a line that is not a contact (%1).")
                             .arg(parseError.errorString()),
                         where(), tr("Run the Backup stage again."));
        Result<SourceContact> contact = BackupFormat::contactFromJson(doc.object());
        if (!contact)
            return Error(contact.error().message, where(), tr("Run the Backup stage again."));
        return std::optional<SourceContact>(std::move(contact).value());
    }
    if (m_file.error() != QFileDevice::NoError)
        return Error(tr("The backup's contacts could not be read to the end (%1).")
                         .arg(m_file.errorString()),
                     m_file.fileName());
    return std::optional<SourceContact>();
}

Result<bool> BackupContactStream::skip()
{
    while (!m_file.atEnd()) {
        const QByteArray bytes = m_file.readLine();
        ++m_line;
        if (!QByteArrayView(bytes).trimmed().isEmpty())
            return true;
    }
    if (m_file.error() != QFileDevice::NoError)
        return Error(tr("The backup's contacts could not be read to the end (%1).")
                         .arg(m_file.errorString()),
                     m_file.fileName());
    return false;
}

Result<QList<FieldDefinition>> BackupContactStream::fields(const QString &backupFolder)
{
    QFile file(QDir(backupFolder).filePath(BackupFormat::kFields));
    if (!file.exists())
        return QList<FieldDefinition>(); // a source without field definitions
    if (!file.open(QIODevice::ReadOnly))
        return Error(tr("The backup's field definitions cannot be read (%1).").arg(file.errorString()),
                     file.fileName());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isArray())
        return Error(tr("The backup's field definitions are not a JSON array (%1).")
                         .arg(parseError.errorString()),
                     file.fileName(), tr("Run the Backup stage again."));
    QList<FieldDefinition> out;
    for (const QJsonValue &v : doc.array())
        out.append(BackupFormat::fieldFromJson(v.toObject()));
    return out;
}
