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
    return openRange(0, -1);
}

Status BackupContactStream::openRange(qint64 from, qint64 to)
{
    const auto unreadable = [this] {
        return Error(tr("The backup's contacts cannot be read (%1).").arg(m_file.errorString()),
                     m_file.fileName(), tr("Run the Backup stage again."));
    };
    if (!m_file.isOpen() && !m_file.open(QIODevice::ReadOnly))
        return unreadable();
    m_line = 0;
    m_end = to;
    m_lineBase = from > 0 ? -1 : 0;
    if (from > 0) {
        // The line that is under way at `from` belongs to the part before.
        char previous = 0;
        if (!m_file.seek(from - 1) || !m_file.getChar(&previous))
            return unreadable();
        if (previous != '\n')
            m_file.readLine();
    }
    m_start = m_file.pos();
    return Status::success();
}

qint64 BackupContactStream::lineBase() const
{
    if (m_lineBase >= 0)
        return m_lineBase;
    QFile file(m_file.fileName());
    qint64 lines = 0;
    if (file.open(QIODevice::ReadOnly)) {
        QByteArray chunk;
        for (qint64 left = m_start; left > 0;) {
            chunk = file.read(std::min<qint64>(left, 1 << 20));
            if (chunk.isEmpty())
                break;
            lines += chunk.count('\n');
            left -= chunk.size();
        }
    }
    m_lineBase = lines;
    return lines;
}

Result<std::optional<SourceContact>> BackupContactStream::next()
{
    while (inRange()) {
        const QByteArray bytes = m_file.readLine();
        ++m_line;
        const QByteArrayView line = QByteArrayView(bytes).trimmed();
        if (line.isEmpty())
            continue;
        const auto where = [this] { return u"%1 line %2"_s.arg(m_file.fileName()).arg(this->line()); };
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
    while (inRange()) {
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
