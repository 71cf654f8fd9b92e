#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

#include <zip.h>

namespace TestSupport {

QString fixture(const QString &relative)
{
    return QDir(QStringLiteral(STAGECOACH_FIXTURES_DIR)).filePath(relative);
}

QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = QDir(dir).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

bool writeZip(const QString &path, const QList<QPair<QString, QByteArray>> &entries)
{
    int error = 0;
    zip_t *archive = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!archive)
        return false;
    for (const auto &[name, content] : entries) {
        // libzip reads the buffer at zip_close(), so hand it a copy it frees itself.
        void *copy = malloc(size_t(content.size()));
        memcpy(copy, content.constData(), size_t(content.size()));
        zip_source_t *source = zip_source_buffer(archive, copy, zip_uint64_t(content.size()), 1);
        if (!source || zip_file_add(archive, name.toUtf8().constData(), source, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(source);
            zip_discard(archive);
            return false;
        }
    }
    return zip_close(archive) == 0;
}

QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result();
}

} // namespace TestSupport
