#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

/** Helpers shared by the tests: fixture paths and building files on the fly. */
namespace TestSupport {

/// tests/fixtures/<relative>
QString fixture(const QString &relative);

/// Writes bytes to dir/name and returns the path (fails the test on error via QVERIFY in callers).
QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes);

/// Writes a zip archive at path holding the given (entry name, content) pairs, using libzip.
bool writeZip(const QString &path, const QList<QPair<QString, QByteArray>> &entries);

/// SHA-256 of a file's bytes, to check that a file was left untouched.
QByteArray sha256(const QString &path);

} // namespace TestSupport
