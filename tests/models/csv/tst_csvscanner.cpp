// CsvScanner against CsvReader: the same records and lines wherever the scanner reads on its own,
// and where it stops (Unsure), nothing it handed over that CsvReader would not.

#include "csv/csvreader.h"
#include "csv/csvscanner.h"

#include <QBuffer>
#include <QTest>

namespace {

struct Record
{
    qint64 line = 0;
    qint64 offset = -1; ///< -1: not known (CsvReader)
    QByteArrayList fields;
};

struct Read
{
    CsvScanner::Outcome outcome = CsvScanner::Outcome::Done;
    QList<Record> records;
};

QList<Record> readWithCsvReader(const QByteArray &bytes, char delimiter)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader::Options options;
    options.delimiter = delimiter;
    CsvReader reader(QStringLiteral("t.csv"), options);
    QList<Record> out;
    reader.read(buffer, [&](qint64 line, std::span<const QByteArrayView> fields) {
        Record r{line, -1, {}};
        for (const QByteArrayView f : fields)
            r.fields.append(f.toByteArray());
        out.append(r);
        return true;
    });
    return out;
}

Read readWithScanner(const QByteArray &bytes, char delimiter, qsizetype bufferBytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvScanner scanner(delimiter, bufferBytes);
    Read out;
    out.outcome = scanner.scan(buffer, [&](const CsvScanner::Record &rec) {
        Record r{rec.line, rec.offset, {}};
        for (const QByteArrayView f : rec.fields)
            r.fields.append(f.toByteArray());
        out.records.append(r);
        return true;
    });
    return out;
}

/// Where each line starts (1-based line -> offset), counting LF, CRLF and lone CR.
QList<qint64> lineStarts(const QByteArray &bytes)
{
    QList<qint64> starts{0, 0};
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')))
            starts.append(i + 1);
    }
    return starts;
}

} // namespace

Q_DECLARE_METATYPE(CsvScanner::Outcome)

class tst_CsvScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void asCsvReader_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<bool>("scannerReadsAll"); // else it stops (Unsure) somewhere
        const auto row = [](const char *name, const QByteArray &input, bool all, char delimiter = ',') {
            QTest::newRow(name) << input << delimiter << all;
        };
        row("LF", "email,name\na@x.com,Ann\nb@x.com,Bob\n", true);
        row("CRLF", "email,name\r\na@x.com,Ann\r\nb@x.com,Bob\r\n", true);
        row("lone CR", "email,name\ra@x.com,Ann\rb@x.com,Bob\r", true);
        row("no final newline", "email,name\na@x.com,Ann\nb@x.com,Bob", true);
        row("blank lines", "email,name\r\n\r\na@x.com,Ann\r\n\r\n\r\nb@x.com,Bob\r\n\r\n", true);
        row("blank lines before the header", "\n\r\nemail,name\na@x.com,Ann\n", true);
        row("quoted fields", "email,name\n\"a@x.com\",\"Lee, Ann\"\n", true);
        row("doubled quotes", "email,note\na@x.com,\"She said \"\"hi\"\"\"\nb@x.com,\"\"\"\"\n", true);
        row("empty fields", "a,b,c\n\"\",,x\n,,\n", true);
        row("blanks around fields", "a , b\n  x  ,\" y \"  \n\t\"z\"\t,w\n", true);
        row("embedded LF", "email,note\na@x.com,\"line one\nline two\"\nb@x.com,x\n", true);
        row("embedded CRLF and CR", "a,b\n\"1\n2\",\"3\r\n4\r5\"\n\nx,y\n", true);
        row("embedded CR at the end", "a,b\n\"1\r\",2\nx,y\n", true);
        row("embedded newline in the header", "\"first\nname\",email\nAnn,a@x.com\n", true);
        row("trailing delimiter", "a,b,\n1,2,\n", true);
        row("byte order mark", "\xEF\xBB\xBF\"email\",name\na@x.com,Ann\n", true);
        row("semicolons", "email;name;city\na@x.com;Lee, Ann;Paris\n", true, ';');
        row("tabs", "email\tname\tcity\na@x.com\tAnn Lee\t\n\t\t\n", true, '\t');
        row("UTF-8", "email,name\na@x.com,Bj\xC3\xB6rn\nb@x.com,\"S\xC3\xB8ren, \xE2\x82\xAC\"\n", true);
        row("quoted field ends the file", "a,b\n1,\"2\"", true);
        row("empty last field at the end", "a,b\n1,", true);
        // What the scanner leaves to CsvReader.
        row("Windows-1252", "email,name\njose@x.com,Jos\xe9\n", false);
        row("UTF-8 then Windows-1252", "email,name\na,Bj\xC3\xB6rn\nb,Jos\xe9\n", false);
        row("stray quote in an unquoted field", "a,b\n1,x\"y\n2,z\n", false);
        row("text after a closing quote", "a,b\n1,\"x\"y\n2,z\n", false);
        row("unclosed quote", "a,b\n1,\"x\n2,z\n", false);
        row("ragged row", "a,b\n1,2\n3,4,5\n6,7\n", false);
        row("NUL byte", QByteArray("a,b\n1,x\0y\n", 10), false);
        row("line of blanks", "a,b\n1,2\n   \n3,4\n", false);
        row("empty file", "", false);
    }
    void asCsvReader()
    {
        QFETCH(QByteArray, input);
        QFETCH(char, delimiter);
        QFETCH(bool, scannerReadsAll);
        const QList<Record> expected = readWithCsvReader(input, delimiter);
        const QList<qint64> starts = lineStarts(input);
        // 4096 is the smallest buffer; inputs here are smaller, so also a stream read whole.
        const Read read = readWithScanner(input, delimiter, 4096);
        QCOMPARE(read.outcome == CsvScanner::Outcome::Done, scannerReadsAll);
        if (scannerReadsAll)
            QCOMPARE(read.records.size(), expected.size());
        QVERIFY(read.records.size() <= expected.size());
        for (qsizetype i = 0; i < read.records.size(); ++i) {
            QCOMPARE(read.records[i].line, expected[i].line);
            QCOMPARE(read.records[i].fields, expected[i].fields);
            QCOMPARE(read.records[i].offset, starts[read.records[i].line]);
        }

        // Cut after every line end: the pieces give the same records, lines and offsets.
        if (!scannerReadsAll || input.startsWith("\xEF\xBB\xBF"))
            return;
        for (qsizetype cut = 1; cut < input.size(); ++cut) {
            if (input[cut - 1] != '\n' || input.first(cut).count('"') % 2 != 0)
                continue;
            QList<Record> pieces;
            qint64 lineBase = 0;
            bool allDone = true;
            for (const auto &[from, to] : {std::pair<qsizetype, qsizetype>{0, cut}, {cut, input.size()}}) {
                QByteArray piece = input.sliced(from, to - from);
                CsvScanner scanner(delimiter);
                const auto outcome = scanner.scanPiece(piece.data(), size_t(piece.size()), int(expected[0].fields.size()),
                                                       [&](const CsvScanner::Record &rec) {
                                                           Record r{lineBase + rec.line, from + rec.offset, {}};
                                                           for (const QByteArrayView f : rec.fields)
                                                               r.fields.append(f.toByteArray());
                                                           pieces.append(r);
                                                           return true;
                                                       });
                allDone = allDone && outcome == CsvScanner::Outcome::Done;
                lineBase = qint64(starts.indexOf(to, 1)) - 1;
            }
            QVERIFY(allDone);
            QCOMPARE(pieces.size(), expected.size());
            for (qsizetype i = 0; i < pieces.size(); ++i) {
                QCOMPARE(pieces[i].line, expected[i].line);
                QCOMPARE(pieces[i].fields, expected[i].fields);
                QCOMPARE(pieces[i].offset, starts[pieces[i].line]);
            }
        }
    }

    // A record over many reads: every construct split across the buffer's refills.
    void longRecordsOverSmallBuffers()
    {
        QByteArray input = "email,note,tags\r\n";
        for (int i = 0; i < 200; ++i) {
            input += "user" + QByteArray::number(i) + "@x.com,\"" + QByteArray(i * 37, 'n') + " \"\"q\"\"\r\n"
                     + QByteArray(i % 5, 'm') + "\"," + QByteArray(i * 13, 't') + "\r\n";
            if (i % 7 == 0)
                input += "\r\n";
        }
        const QList<Record> expected = readWithCsvReader(input, ',');
        const QList<qint64> starts = lineStarts(input);
        const Read read = readWithScanner(input, ',', 4096);
        QCOMPARE(read.outcome, CsvScanner::Outcome::Done);
        QCOMPARE(read.records.size(), 201);
        QCOMPARE(read.records.size(), expected.size());
        for (qsizetype i = 0; i < read.records.size(); ++i) {
            QCOMPARE(read.records[i].line, expected[i].line);
            QCOMPARE(read.records[i].fields, expected[i].fields);
            QCOMPARE(read.records[i].offset, starts[read.records[i].line]);
        }
    }

    void handlerStops()
    {
        QBuffer buffer;
        buffer.setData("a,b\n1,2\n3,4\n");
        buffer.open(QIODevice::ReadOnly);
        CsvScanner scanner(',');
        int seen = 0;
        QCOMPARE(scanner.scan(buffer, [&](const CsvScanner::Record &) { return ++seen < 2; }),
                 CsvScanner::Outcome::Stopped);
        QCOMPARE(seen, 2);
        QCOMPARE(scanner.recordsHandled(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_CsvScanner)
#include "tst_csvscanner.moc"
