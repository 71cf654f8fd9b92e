#include "exports/exportfiles.h"

#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <zip.h>

#include <algorithm>

namespace {

QString zipErrorText(int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const QString text = QString::fromUtf8(zip_error_strerror(&error));
    zip_error_fini(&error);
    return text;
}

bool isZip(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray magic = f.read(4);
    return magic == QByteArrayLiteral("PK\x03\x04") || magic == QByteArrayLiteral("PK\x05\x06");
}

// .csv entries; .txt entries only when the archive has no .csv (a README.txt next to the CSVs
// is not an export).
bool isCsvName(const QString &name, QStringView suffix)
{
    const QString base = QFileInfo(name).fileName();
    if (name.startsWith(u"__MACOSX/") || base.startsWith(u"._") || base.isEmpty() || name.endsWith(u'/'))
        return false;
    return base.endsWith(suffix, Qt::CaseInsensitive);
}

/** A zip entry as a sequential QIODevice (libzip decompresses as it is read). */
class ZipEntryDevice : public QIODevice
{
public:
    ZipEntryDevice(zip_t *archive, zip_file_t *file) : m_archive(archive), m_file(file) {}
    ~ZipEntryDevice() override { close(); }

    bool isSequential() const override { return true; }
    void close() override
    {
        if (m_file)
            zip_fclose(m_file);
        if (m_archive)
            zip_discard(m_archive);
        m_file = nullptr;
        m_archive = nullptr;
        QIODevice::close();
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (!m_file)
            return -1;
        const zip_int64_t n = zip_fread(m_file, data, zip_uint64_t(maxSize));
        if (n < 0) {
            setErrorString(QString::fromUtf8(zip_error_strerror(zip_file_get_error(m_file))));
            return -1;
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    zip_t *m_archive;
    zip_file_t *m_file;
};

} // namespace

QString ExportPart::displayName() const
{
    const QString file = QFileInfo(filePath).fileName();
    return inArchive() ? file + QStringLiteral(" \u203A ") + entryName : file;
}

QString ExportPart::fileName() const
{
    return QFileInfo(inArchive() ? entryName : filePath).fileName();
}

Result<QList<ExportPart>> ExportFiles::list(const QString &path)
{
    const QFileInfo info(path);
    const QString shown = info.fileName();
    if (!info.exists())
        return Error{tr("the file does not exist."), shown, tr("Check the path and choose the file again.")};
    if (!info.isFile())
        return Error{tr("this is not a file."), shown, tr("Choose an export file (.csv or .zip).")};
    if (!info.isReadable())
        return Error{tr("the file cannot be read (permission denied)."), shown,
                     tr("Check the file's permissions.")};

    if (!isZip(path))
        return QList<ExportPart>{ExportPart{path, QString(), info.size()}};

    int code = 0;
    zip_t *archive = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!archive)
        return Error{tr("the zip archive is damaged or incomplete (%1).").arg(zipErrorText(code)), shown,
                     tr("Download the export again.")};
    QList<ExportPart> parts;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (const QStringView suffix : {QStringView(u".csv"), QStringView(u".txt")}) {
        for (zip_int64_t i = 0; i < count; ++i) {
            zip_stat_t st;
            if (zip_stat_index(archive, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
                continue;
            const QString name = QString::fromUtf8(st.name);
            if (!isCsvName(name, suffix))
                continue;
            if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
                zip_discard(archive);
                return Error{tr("%1 in the archive is encrypted.").arg(name), shown,
                             tr("Unpack it with its password and choose the CSV files.")};
            }
            parts.append(ExportPart{path, name, (st.valid & ZIP_STAT_SIZE) ? qint64(st.size) : 0});
        }
        if (!parts.isEmpty())
            break;
    }
    zip_discard(archive);
    if (parts.isEmpty())
        return Error{tr("the zip archive holds no CSV file."), shown,
                     tr("Choose the audience export zip, or the CSV files themselves.")};
    std::sort(parts.begin(), parts.end(),
              [](const ExportPart &a, const ExportPart &b) { return a.entryName < b.entryName; });
    return parts;
}

Result<std::unique_ptr<QIODevice>> ExportFiles::open(const ExportPart &part)
{
    if (!part.inArchive()) {
        auto file = std::make_unique<QFile>(part.filePath);
        if (!file->open(QIODevice::ReadOnly | QIODevice::Unbuffered))
            return Error{tr("the file cannot be opened: %1.").arg(file->errorString()), part.displayName(),
                         tr("Check that it still exists and is readable.")};
        return std::unique_ptr<QIODevice>(std::move(file));
    }
    int code = 0;
    zip_t *archive = zip_open(QFile::encodeName(part.filePath).constData(), ZIP_RDONLY, &code);
    if (!archive)
        return Error{tr("the zip archive cannot be opened (%1).").arg(zipErrorText(code)), part.displayName(),
                     tr("Download the export again.")};
    zip_file_t *file = zip_fopen(archive, part.entryName.toUtf8().constData(), 0);
    if (!file) {
        const QString why = QString::fromUtf8(zip_strerror(archive));
        zip_discard(archive);
        return Error{tr("the entry cannot be read (%1).").arg(why), part.displayName(),
                     tr("Download the export again.")};
    }
    auto device = std::make_unique<ZipEntryDevice>(archive, file);
    device->open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    return std::unique_ptr<QIODevice>(std::move(device));
}
