#include "exports/exportfiles.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QIODevice>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Entries = QList<QPair<QString, QByteArray>>;

QByteArray readAllOf(const ExportPart &part, qint64 readSize)
{
    Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(part);
    if (!device.ok()) {
        qWarning() << device.error().toString();
        return QByteArrayLiteral("<open failed>");
    }
    QByteArray all;
    QByteArray buffer(readSize, Qt::Uninitialized);
    for (;;) {
        const qint64 n = device.value()->read(buffer.data(), readSize);
        if (n < 0)
            return QByteArrayLiteral("<read failed>");
        if (n == 0)
            break;
        all.append(buffer.constData(), n);
    }
    return all;
}

QByteArray bigCsv()
{
    // Large enough to need many reads and several deflate blocks; UTF-8 and CRLF kept as is.
    QByteArray bytes = "Email Address,First Name,Note\r\n";
    for (int i = 0; i < 20000; ++i) {
        bytes += "user" + QByteArray::number(i) + "@example.com,Zoë " + QByteArray::number(i * 7919)
                 + ",\"multi\nline\"\r\n";
    }
    return bytes;
}

} // namespace

class tst_ExportFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void plainCsv();
    void zipParts();
    void zipOfTextFilesOnly();
    void zipNestedEntry();
    void zipWithoutCsv_data();
    void zipWithoutCsv();
    void zipNamedCsv();
    void notAZipNamedZip();
    void truncatedZip();
    void missingFile();
    void directory();
    void missingEntry();
    void plainFileGoneBeforeOpen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ExportFiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ExportFiles::plainCsv()
{
    const QByteArray bytes = "Email Address,First Name\r\nann@example.com,Ann\r\n";
    const QString path = TestSupport::writeFile(m_dir->path(), u"members.csv"_s, bytes);
    QVERIFY(!path.isEmpty());

    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().toString()));
    QCOMPARE(parts->size(), 1);
    const ExportPart &part = parts->first();
    QCOMPARE(part.filePath, path);
    QVERIFY(!part.inArchive());
    QVERIFY(part.entryName.isEmpty());
    QCOMPARE(part.size, qint64(bytes.size()));
    QCOMPARE(part.displayName(), u"members.csv"_s);
    QCOMPARE(part.fileName(), u"members.csv"_s);
    QCOMPARE(readAllOf(part, 4096), bytes);
    QCOMPARE(readAllOf(part, 5), bytes);
}

void tst_ExportFiles::zipParts()
{
    const QByteArray subscribed = bigCsv();
    const QByteArray unsubscribed
        = "Email Address,UNSUB_TIME\nbob@example.com,2024-05-17 13:45:00\n";
    const QByteArray cleaned = "Email Address,CLEAN_TIME\r\ncy@example.com,2024-01-02 03:04:05\r\n";
    const QByteArray readme = "Exported from Mailchimp.\n";
    const QString path = m_dir->filePath(u"audience.zip"_s);
    QVERIFY(TestSupport::writeZip(
        path, {
                  {u"unsubscribed_members_export_1.csv"_s, unsubscribed},
                  {u"subscribed_members_export_1.csv"_s, subscribed},
                  {u"__MACOSX/._subscribed_members_export_1.csv"_s, QByteArray("\0\5\26\7", 4)},
                  {u"._cleaned_members_export_1.csv"_s, QByteArray("\0\5\26\7", 4)},
                  {u"cleaned_members_export_1.csv"_s, cleaned},
                  {u"logo.png"_s, QByteArray("\x89PNG\r\n\x1a\n", 8)},
                  {u"README.txt"_s, readme},
              }));
    const QByteArray before = TestSupport::sha256(path);

    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().toString()));

    // CSV entries in name order; a README.txt beside them, the macOS resource forks and other
    // files are not exports.
    QStringList names;
    for (const ExportPart &p : parts.value())
        names.append(p.entryName);
    QCOMPARE(names, (QStringList{u"cleaned_members_export_1.csv"_s,
                                 u"subscribed_members_export_1.csv"_s,
                                 u"unsubscribed_members_export_1.csv"_s}));

    const QList<QByteArray> contents = {cleaned, subscribed, unsubscribed};
    for (qsizetype i = 0; i < parts->size(); ++i) {
        const ExportPart &part = parts->at(i);
        QVERIFY(part.inArchive());
        QCOMPARE(part.filePath, path);
        QCOMPARE(part.size, qint64(contents[i].size()));
        QCOMPARE(part.fileName(), part.entryName);
        QCOMPARE(part.displayName(), u"audience.zip \u203A "_s + part.entryName);
        QCOMPARE(readAllOf(part, 1 << 16), contents[i]);
        QCOMPARE(readAllOf(part, 7), contents[i]);
    }
    QCOMPARE(parts->at(1).displayName(), u"audience.zip › subscribed_members_export_1.csv"_s);
    // Nothing was unpacked or changed.
    QCOMPARE(TestSupport::sha256(path), before);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::NoDotAndDotDot),
             QStringList{u"audience.zip"_s});
}

void tst_ExportFiles::zipOfTextFilesOnly()
{
    // Tab-separated exports often come as .txt: with no .csv in the archive, .txt entries are read.
    const QString path = m_dir->filePath(u"tab_export.zip"_s);
    QVERIFY(TestSupport::writeZip(path, {{u"contacts.txt"_s, QByteArray("EMAIL\tFIRSTNAME\nann@example.com\tAnn\n")},
                                         {u"notes.md"_s, QByteArray("# notes\n")}}));
    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().toString()));
    QCOMPARE(parts->size(), 1);
    QCOMPARE(parts->first().entryName, u"contacts.txt"_s);
    QFile::remove(path);
}

void tst_ExportFiles::zipNestedEntry()
{
    const QByteArray bytes = "Email,Name\nann@example.com,Ann\n";
    const QString path = m_dir->filePath(u"export.zip"_s);
    QVERIFY(TestSupport::writeZip(path, {{u"audience/Subscribed_Members.CSV"_s, bytes}}));

    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY(parts.ok());
    QCOMPARE(parts->size(), 1);
    QCOMPARE(parts->first().entryName, u"audience/Subscribed_Members.CSV"_s);
    // The dialect detector looks at the entry's own name.
    QCOMPARE(parts->first().fileName(), u"Subscribed_Members.CSV"_s);
    QCOMPARE(parts->first().displayName(), u"export.zip › audience/Subscribed_Members.CSV"_s);
    QCOMPARE(readAllOf(parts->first(), 3), bytes);
}

void tst_ExportFiles::zipWithoutCsv_data()
{
    QTest::addColumn<Entries>("entries");

    QTest::newRow("only other files")
        << Entries{{u"report.pdf"_s, QByteArray("%PDF-1.4")}, {u"data.xlsx"_s, QByteArray("PK")}};
    QTest::newRow("only macOS resource forks") << Entries{
        {u"__MACOSX/members.csv"_s, QByteArray("x")}, {u"._members.csv"_s, QByteArray("x")}};
    QTest::newRow("empty archive") << Entries{};
}

void tst_ExportFiles::zipWithoutCsv()
{
    QFETCH(Entries, entries);
    const QString path = m_dir->filePath(u"x.zip"_s);
    if (entries.isEmpty()) {
        // libzip writes no file for an empty archive: write the end-of-central-directory record.
        QVERIFY(
            !TestSupport::writeFile(m_dir->path(), u"x.zip"_s, "PK\x05\x06" + QByteArray(18, '\0'))
                 .isEmpty());
    } else {
        QVERIFY(TestSupport::writeZip(path, entries));
    }

    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY(!parts.ok());
    QCOMPARE(parts.error().where, u"x.zip"_s);
    QVERIFY2(parts.error().message.contains(u"holds no CSV file"_s),
             qPrintable(parts.error().toString()));
    QVERIFY(!parts.error().hint.isEmpty());
}

void tst_ExportFiles::zipNamedCsv()
{
    // Recognised by its signature, not its name.
    const QByteArray bytes = "Email\nann@example.com\n";
    const QString path = m_dir->filePath(u"members.csv"_s);
    QVERIFY(TestSupport::writeZip(path, {{u"inner.csv"_s, bytes}}));
    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY(parts.ok());
    QCOMPARE(parts->size(), 1);
    QCOMPARE(parts->first().entryName, u"inner.csv"_s);
    QCOMPARE(readAllOf(parts->first(), 4096), bytes);
}

void tst_ExportFiles::notAZipNamedZip()
{
    const QByteArray bytes = "Email Address\nann@example.com\n";
    const QString path = TestSupport::writeFile(m_dir->path(), u"audience.zip"_s, bytes);
    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().toString()));
    QCOMPARE(parts->size(), 1);
    QVERIFY(!parts->first().inArchive());
    QCOMPARE(parts->first().displayName(), u"audience.zip"_s);
    QCOMPARE(readAllOf(parts->first(), 4096), bytes);
}

void tst_ExportFiles::truncatedZip()
{
    const QString full = m_dir->filePath(u"full.zip"_s);
    QVERIFY(TestSupport::writeZip(
        full, {{u"subscribed_members_export_1.csv"_s, bigCsv()},
               {u"cleaned_members_export_1.csv"_s, QByteArray("Email Address\n")}}));
    QFile f(full);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith("PK\x03\x04"));
    const QString cut
        = TestSupport::writeFile(m_dir->path(), u"cut.zip"_s, bytes.left(bytes.size() / 2));

    const Result<QList<ExportPart>> parts = ExportFiles::list(cut);
    QVERIFY(!parts.ok());
    QCOMPARE(parts.error().where, u"cut.zip"_s);
    QVERIFY2(parts.error().message.contains(u"damaged or incomplete"_s),
             qPrintable(parts.error().toString()));
    QVERIFY2(parts.error().hint.contains(u"again"_s), qPrintable(parts.error().hint));
}

void tst_ExportFiles::missingFile()
{
    const Result<QList<ExportPart>> parts = ExportFiles::list(m_dir->filePath(u"gone.csv"_s));
    QVERIFY(!parts.ok());
    QCOMPARE(parts.error().where, u"gone.csv"_s);
    QVERIFY2(parts.error().message.contains(u"does not exist"_s),
             qPrintable(parts.error().toString()));
    QVERIFY(!parts.error().hint.isEmpty());
}

void tst_ExportFiles::directory()
{
    QVERIFY(QDir(m_dir->path()).mkdir(u"export.zip"_s));
    const Result<QList<ExportPart>> parts = ExportFiles::list(m_dir->filePath(u"export.zip"_s));
    QVERIFY(!parts.ok());
    QVERIFY2(parts.error().message.contains(u"not a file"_s), qPrintable(parts.error().toString()));
}

void tst_ExportFiles::missingEntry()
{
    const QString path = m_dir->filePath(u"audience.zip"_s);
    QVERIFY(TestSupport::writeZip(path, {{u"subscribed.csv"_s, QByteArray("Email\n")}}));
    const ExportPart part{path, u"unsubscribed.csv"_s, 0};
    const Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(part);
    QVERIFY(!device.ok());
    QCOMPARE(device.error().where, u"audience.zip › unsubscribed.csv"_s);
    QVERIFY2(device.error().message.contains(u"cannot be read"_s),
             qPrintable(device.error().toString()));
}

void tst_ExportFiles::plainFileGoneBeforeOpen()
{
    const QString path = TestSupport::writeFile(m_dir->path(), u"members.csv"_s, "Email\n");
    const Result<QList<ExportPart>> parts = ExportFiles::list(path);
    QVERIFY(parts.ok());
    QVERIFY(QFile::remove(path));
    const Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(parts->first());
    QVERIFY(!device.ok());
    QCOMPARE(device.error().where, u"members.csv"_s);
    QVERIFY2(device.error().message.contains(u"cannot be opened"_s),
             qPrintable(device.error().toString()));
}

QTEST_GUILESS_MAIN(tst_ExportFiles)
#include "tst_exportfiles.moc"
