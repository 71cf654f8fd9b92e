#include "csv/csvreader.h"

#include <QBuffer>
#include <QDebug>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/** One record as the reader hands it over: where it starts and its fields (UTF-8). */
struct Record
{
    qint64 line = 0;
    QByteArrayList fields;

    friend bool operator==(const Record &, const Record &) = default;
};

QDebug operator<<(QDebug debug, const Record &record)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "line " << record.line << ' ' << record.fields;
    return debug;
}

/** Everything a caller can observe after one read. */
struct Outcome
{
    bool ok = false;
    QList<Record> records;
    bool hasError = false;
    QString message;
    QString where;
    QString text; ///< error().toString()
    bool stopped = false;
    char delimiter = 0;
    TextEncoding encoding = TextEncoding::Undecided;
    bool bom = false;
    qint64 recordCount = 0;
    qint64 bytesRead = 0;
};

const QString kSource = u"t.csv"_s;

// 0 stands for the default read size; the others split every construct (CRLF pairs, the byte
// order mark, quotes, multi-byte characters) across reads.
const QList<qsizetype> kChunkSizes = {0, 1, 2, 3, 7};

CsvReader::Options optionsFor(qsizetype chunkBytes)
{
    CsvReader::Options options;
    if (chunkBytes > 0)
        options.chunkBytes = chunkBytes;
    return options;
}

Outcome readBytes(const QByteArray &bytes, const CsvReader::Options &options,
                  const std::function<bool(CsvReader &, const Record &)> &accept = {})
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(kSource, options);
    Outcome out;
    out.ok = reader.read(buffer, [&](qint64 line, std::span<const QByteArrayView> fields) {
        Record record{line, {}};
        for (const QByteArrayView field : fields)
            record.fields.append(field.toByteArray());
        out.records.append(record);
        return accept ? accept(reader, record) : true;
    });
    out.hasError = reader.hasError();
    if (out.hasError) {
        out.message = reader.error().message;
        out.where = reader.error().where;
        out.text = reader.error().toString();
    }
    out.stopped = reader.stopped();
    out.delimiter = reader.delimiter();
    out.encoding = reader.encoding();
    out.bom = reader.hadByteOrderMark();
    out.recordCount = reader.recordCount();
    out.bytesRead = reader.bytesRead();
    return out;
}

QString chunkName(qsizetype chunk)
{
    return chunk ? u"chunk %1"_s.arg(chunk) : u"default chunk"_s;
}

QByteArray asciiThenWindows1252(int asciiLines)
{
    QByteArray bytes = "email,name\n";
    for (int i = 0; i < asciiLines; ++i)
        bytes += "user" + QByteArray::number(i) + "@example.com,Plain Name " + QByteArray::number(i)
                 + '\n';
    bytes += "last@example.com,Mu\xf1oz\n";
    return bytes;
}

} // namespace

Q_DECLARE_METATYPE(Record)
Q_DECLARE_METATYPE(TextEncoding)

class tst_CsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reads_data();
    void reads();
    void rejects_data();
    void rejects();
    void detectsDelimiter_data();
    void detectsDelimiter();
    void usesTheGivenDelimiter();
    void tooManyFields();
    void unequalRowsWhenAllowed();
    void handlerStops();
    void handlerFails();
    void chunkHandlerCancels();
    void chunkHandlerSeesProgress();
    void unreadableDevice();

private:
    struct Expect
    {
        char delimiter = ',';
        TextEncoding encoding = TextEncoding::Undecided;
        bool bom = false;
        qsizetype maxFieldBytes = CsvReader::Options{}.maxFieldBytes;
    };
    static void addRead(const char *name, const QByteArray &input, const QList<Record> &records,
                        const Expect &expect);
    static void addRejected(const char *name, const QByteArray &input, qint64 line,
                            const QStringList &messageParts, int recordsBefore,
                            qsizetype maxFieldBytes = CsvReader::Options{}.maxFieldBytes);
};

void tst_CsvReader::addRead(const char *name, const QByteArray &input, const QList<Record> &records,
                            const Expect &expect)
{
    for (const qsizetype chunk : kChunkSizes) {
        QTest::addRow("%s @ %s", name, qPrintable(chunkName(chunk)))
            << input << chunk << expect.maxFieldBytes << records << expect.delimiter
            << expect.encoding << expect.bom;
    }
}

void tst_CsvReader::reads_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("chunkBytes");
    QTest::addColumn<qsizetype>("maxFieldBytes");
    QTest::addColumn<QList<Record>>("records");
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<TextEncoding>("encoding");
    QTest::addColumn<bool>("bom");

    const Expect plain;
    const QList<Record> twoContacts
        = {{1, {"email", "name"}}, {2, {"a@x.com", "Ann"}}, {3, {"b@x.com", "Bob"}}};

    // Line ends.
    addRead("LF", "email,name\na@x.com,Ann\nb@x.com,Bob\n", twoContacts, plain);
    addRead("CRLF", "email,name\r\na@x.com,Ann\r\nb@x.com,Bob\r\n", twoContacts, plain);
    addRead("lone CR", "email,name\ra@x.com,Ann\rb@x.com,Bob\r", twoContacts, plain);
    addRead("no final newline", "email,name\na@x.com,Ann\nb@x.com,Bob", twoContacts, plain);
    addRead("no final newline, CRLF", "email,name\r\na@x.com,Ann\r\nb@x.com,Bob", twoContacts,
            plain);
    addRead("blank lines between records (LF)", "email,name\n\na@x.com,Ann\n\n\nb@x.com,Bob\n\n",
            {{1, {"email", "name"}}, {3, {"a@x.com", "Ann"}}, {6, {"b@x.com", "Bob"}}}, plain);
    addRead("blank lines between records (CRLF)",
            "email,name\r\n\r\na@x.com,Ann\r\n\r\n\r\nb@x.com,Bob\r\n",
            {{1, {"email", "name"}}, {3, {"a@x.com", "Ann"}}, {6, {"b@x.com", "Bob"}}}, plain);
    addRead("blank lines between records (lone CR)", "email,name\r\ra@x.com,Ann\r\r\rb@x.com,Bob",
            {{1, {"email", "name"}}, {3, {"a@x.com", "Ann"}}, {6, {"b@x.com", "Bob"}}}, plain);
    addRead("blank lines before the header and blank-looking lines",
            "\n\r\nemail,name\n   \na@x.com,Ann\n",
            {{3, {"email", "name"}}, {5, {"a@x.com", "Ann"}}}, plain);
    addRead("header only", "email,name\n", {{1, {"email", "name"}}}, plain);
    addRead("header only, no newline", "email", {{1, {"email"}}}, plain);

    // Quoting.
    addRead("quoted fields", "email,name\n\"a@x.com\",\"Lee, Ann\"\n",
            {{1, {"email", "name"}}, {2, {"a@x.com", "Lee, Ann"}}}, plain);
    addRead("doubled quotes", "email,note\na@x.com,\"She said \"\"hi\"\"\"\nb@x.com,\"\"\"\"\n",
            {{1, {"email", "note"}}, {2, {"a@x.com", "She said \"hi\""}}, {3, {"b@x.com", "\""}}},
            plain);
    addRead("empty fields, quoted and not", "a,b,c\n\"\",,x\n,,\n",
            {{1, {"a", "b", "c"}}, {2, {"", "", "x"}}, {3, {"", "", ""}}}, plain);
    addRead("blanks around unquoted fields are dropped, inside quotes kept",
            "a , b\n  x  ,\" y \"  \n", {{1, {"a", "b"}}, {2, {"x", " y "}}}, plain);
    addRead("embedded LF", "email,note\na@x.com,\"line one\nline two\"\nb@x.com,x\n",
            {{1, {"email", "note"}}, {2, {"a@x.com", "line one\nline two"}}, {4, {"b@x.com", "x"}}},
            plain);
    addRead(
        "embedded CRLF in a CRLF file",
        "email,note\r\na@x.com,\"one\r\ntwo\r\nthree\"\r\nb@x.com,x\r\n",
        {{1, {"email", "note"}}, {2, {"a@x.com", "one\r\ntwo\r\nthree"}}, {5, {"b@x.com", "x"}}},
        plain);
    addRead("embedded lone CR", "email,note\na@x.com,\"one\rtwo\"\nb@x.com,x\n",
            {{1, {"email", "note"}}, {2, {"a@x.com", "one\rtwo"}}, {4, {"b@x.com", "x"}}}, plain);
    addRead("embedded newlines in two fields, then a blank line",
            "a,b\n\"1\n2\",\"3\r\n4\r\n5\"\n\nx,y\n",
            {{1, {"a", "b"}}, {2, {"1\n2", "3\r\n4\r\n5"}}, {7, {"x", "y"}}}, plain);
    addRead("embedded newline at the end of a quoted field", "a,b\n\"1\r\",2\nx,y\n",
            {{1, {"a", "b"}}, {2, {"1\r", "2"}}, {4, {"x", "y"}}}, plain);
    addRead("embedded newline in the header", "\"first\nname\",email\nAnn,a@x.com\n",
            {{1, {"first\nname", "email"}}, {3, {"Ann", "a@x.com"}}}, plain);
    addRead("trailing delimiter", "a,b,\n1,2,\n", {{1, {"a", "b", ""}}, {2, {"1", "2", ""}}},
            plain);

    // Byte order mark and delimiters.
    addRead("UTF-8 byte order mark",
            "\xEF\xBB\xBF"
            "email,name\na@x.com,Ann\nb@x.com,Bob\n",
            twoContacts, {',', TextEncoding::Utf8, true});
    addRead("byte order mark, quoted first field", "\xEF\xBB\xBF\"email\",name\na@x.com,Ann\n",
            {{1, {"email", "name"}}, {2, {"a@x.com", "Ann"}}}, {',', TextEncoding::Utf8, true});
    addRead("semicolons", "email;name;city\na@x.com;Lee, Ann;Paris\n",
            {{1, {"email", "name", "city"}}, {2, {"a@x.com", "Lee, Ann", "Paris"}}}, {';'});
    addRead("byte order mark and semicolons",
            "\xEF\xBB\xBF"
            "email;name\r\na@x.com;Ann\r\n",
            {{1, {"email", "name"}}, {2, {"a@x.com", "Ann"}}}, {';', TextEncoding::Utf8, true});
    addRead("tabs", "email\tname\tcity\na@x.com\tAnn Lee\t\n",
            {{1, {"email", "name", "city"}}, {2, {"a@x.com", "Ann Lee", ""}}}, {'\t'});
    addRead("commas inside a quoted header field do not decide the delimiter",
            "\"Smith, John, Jr\";email\nx;y\n",
            {{1, {"Smith, John, Jr", "email"}}, {2, {"x", "y"}}}, {';'});
    addRead("a long header line split over many reads decides the delimiter",
            "first;last;email;phone;city;zip;country;tags\n1;2;3;4;5;6;7;8\n",
            {{1, {"first", "last", "email", "phone", "city", "zip", "country", "tags"}},
             {2, {"1", "2", "3", "4", "5", "6", "7", "8"}}},
            {';'});

    // Encodings.
    addRead(
        "UTF-8", "email,name\nzoe@x.com,Zoë Ångström\nli@x.com,李小龍 😀\n",
        {{1, {"email", "name"}}, {2, {"zoe@x.com", "Zoë Ångström"}}, {3, {"li@x.com", "李小龍 😀"}}},
        {',', TextEncoding::Utf8});
    addRead("Windows-1252",
            "email,name,price\njose@x.com,Jos\xe9,\x80"
            "5\nfr@x.com,Fran\xe7ois,\x93quoted\x94\n",
            {{1, {"email", "name", "price"}},
             {2, {"jose@x.com", "José", "€5"}},
             {3, {"fr@x.com", "François", "“quoted”"}}},
            {',', TextEncoding::Windows1252});
    {
        const int asciiLines = 3000;
        QList<Record> records = {{1, {"email", "name"}}};
        for (int i = 0; i < asciiLines; ++i) {
            records.append(Record{i + 2,
                                  {"user" + QByteArray::number(i) + "@example.com",
                                   "Plain Name " + QByteArray::number(i)}});
        }
        records.append(Record{asciiLines + 2, {"last@example.com", "Muñoz"}});
        addRead("ASCII for many lines, then Windows-1252", asciiThenWindows1252(asciiLines),
                records, {',', TextEncoding::Windows1252});
    }

    // Field length limit: what libcsv drops (trailing blanks, closing quotes, one quote of a
    // doubled pair) does not count, whatever the read size.
    addRead("fields exactly at the length limit",
            "email,note\na,\"01234567\"   \nb,\"0123\"\"567\"\nc,01234567   \n",
            {{1, {"email", "note"}},
             {2, {"a", "01234567"}},
             {3, {"b", "0123\"567"}},
             {4, {"c", "01234567"}}},
            {',', TextEncoding::Undecided, false, 8});
}

void tst_CsvReader::reads()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, chunkBytes);
    QFETCH(qsizetype, maxFieldBytes);
    QFETCH(QList<Record>, records);
    QFETCH(char, delimiter);
    QFETCH(TextEncoding, encoding);
    QFETCH(bool, bom);

    CsvReader::Options options = optionsFor(chunkBytes);
    options.maxFieldBytes = maxFieldBytes;
    const Outcome out = readBytes(input, options);

    QVERIFY2(out.ok, qPrintable(out.text));
    QVERIFY(!out.hasError);
    QVERIFY(!out.stopped);
    QCOMPARE(out.records, records);
    QCOMPARE(out.recordCount, qint64(records.size()));
    QCOMPARE(out.bytesRead, qint64(input.size()));
    QCOMPARE(out.delimiter, delimiter);
    QCOMPARE(out.encoding, encoding);
    QCOMPARE(out.bom, bom);
}

void tst_CsvReader::addRejected(const char *name, const QByteArray &input, qint64 line,
                                const QStringList &messageParts, int recordsBefore,
                                qsizetype maxFieldBytes)
{
    for (const qsizetype chunk : kChunkSizes) {
        QTest::addRow("%s @ %s", name, qPrintable(chunkName(chunk)))
            << input << chunk << maxFieldBytes << line << messageParts << recordsBefore;
    }
}

void tst_CsvReader::rejects_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("chunkBytes");
    QTest::addColumn<qsizetype>("maxFieldBytes");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<QStringList>("messageParts");
    QTest::addColumn<int>("recordsBefore");

    const QStringList empty = {u"the file is empty"_s};
    addRejected("empty file", "", 1, empty, 0);
    addRejected("only blank lines", "\n\r\n\r\n  \n", 1, empty, 0);
    addRejected("only a byte order mark", "\xEF\xBB\xBF", 1, empty, 0);

    addRejected("ragged row, too many fields", "email,name\na,b\nc,d,e\nf,g\n", 3,
                {u"this row has 3 fields but the header has 2"_s}, 2);
    addRejected("ragged row after a multi-line field and a blank line",
                "email,note\na,\"x\ny\"\n\nc\n", 5, {u"has 1 field but the header has 2"_s}, 2);
    addRejected("ragged row, CRLF", "a,b\r\n1,2\r\n\r\n3,4,5\r\n", 4,
                {u"this row has 3 fields but the header has 2"_s}, 2);

    addRejected("NUL byte", QByteArray("email,name\na,b\nx") + '\0' + QByteArray("y,z\n"), 3,
                {u"binary data (a NUL byte)"_s, u"field 1"_s}, 2);
    addRejected("NUL byte in a quoted field after a multi-line one",
                QByteArray("email,note,x\na,\"1\n2\",\"") + '\0' + QByteArray("\"\n"), 3,
                {u"binary data (a NUL byte)"_s, u"field 3"_s}, 1);

    addRejected("quote inside an unquoted field", "email,name\na@x.com,O\"Brien\n", 2,
                {u"malformed quotes in field 2"_s}, 1);
    addRejected("text after a closing quote", "email,name\n\"a\"b,c\n", 2,
                {u"malformed quotes in field 1"_s}, 1);
    // The error points at the line with the stray quote, not at the record's first line.
    addRejected("text after a closing quote on the third line of a field",
                "email,note\na,\"one\ntwo\nthree\"x\n", 4, {u"malformed quotes in field 2"_s}, 1);

    const QStringList open = {u"the file ends inside a quoted field that starts on this line"_s};
    addRejected("file ends inside a quoted field",
                "email,note\na,b\nc,\"never closed\nmore text\nand more\n", 3, open, 2);
    addRejected("file ends inside a quoted field that follows a multi-line field",
                "email,note,x\na,\"one\ntwo\",\"open\nstill open", 3, open, 1);
    addRejected("file ends inside the header", "\"email,name\na,b\n", 1, open, 0);

    const QStringList notUtf8 = {u"not valid UTF-8"_s};
    addRejected("UTF-8, then an invalid byte", "email,name\na@x.com,Zoë\nb@x.com,Jos\xe9\n", 3,
                notUtf8, 2);
    addRejected("UTF-8, then an invalid byte after a multi-line field",
                "email,note\na@x.com,Zoë\nb@x.com,\"x\ny\"\nc@x.com,Jos\xe9\n", 5, notUtf8, 3);
    addRejected("byte order mark, then Windows-1252",
                "\xEF\xBB\xBF"
                "email,name\nb@x.com,Jos\xe9\n",
                2, notUtf8, 1);

    const QStringList tooLong = {u"field 2 is longer than 8 bytes"_s};
    addRejected("over-long quoted field", "email,note\na,\"0123456789\"\n", 2, tooLong, 1, 8);
    addRejected("over-long unquoted field", "email,note\na,012345678\n", 2, tooLong, 1, 8);
    addRejected("over-long field that never closes",
                "email,note\na,b\nc,\"0123456789abcdef\nmore\n", 3, tooLong, 2, 8);
}

void tst_CsvReader::rejects()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, chunkBytes);
    QFETCH(qsizetype, maxFieldBytes);
    QFETCH(qint64, line);
    QFETCH(QStringList, messageParts);
    QFETCH(int, recordsBefore);

    CsvReader::Options options = optionsFor(chunkBytes);
    options.maxFieldBytes = maxFieldBytes;
    const Outcome out = readBytes(input, options);

    QVERIFY(!out.ok);
    QVERIFY(out.hasError);
    QVERIFY(!out.stopped);
    QCOMPARE(out.where, u"t.csv line %1"_s.arg(line));
    for (const QString &part : messageParts)
        QVERIFY2(out.text.contains(part), qPrintable(out.text));
    QVERIFY2(out.text.startsWith(out.where + u": "_s), qPrintable(out.text));
    // Nothing is handed over from the offending record on.
    QCOMPARE(out.records.size(), recordsBefore);
    for (const Record &r : out.records)
        QVERIFY(r.line < line);
}

void tst_CsvReader::detectsDelimiter_data()
{
    QTest::addColumn<QByteArray>("firstChunk");
    QTest::addColumn<char>("delimiter");

    QTest::newRow("commas") << QByteArray("a,b,c\n") << ',';
    QTest::newRow("semicolons") << QByteArray("a;b;c\n") << ';';
    QTest::newRow("tabs") << QByteArray("a\tb\tc\n") << '\t';
    QTest::newRow("none: comma") << QByteArray("email\n") << ',';
    QTest::newRow("empty: comma") << QByteArray() << ',';
    QTest::newRow("semicolons outnumber a comma") << QByteArray("a;b,c;d\n") << ';';
    QTest::newRow("commas outnumber a semicolon") << QByteArray("a,b;c,d\n") << ',';
    QTest::newRow("tabs outnumber commas") << QByteArray("a\tb\tc,d\n") << '\t';
    QTest::newRow("only the first line counts (LF)") << QByteArray("a;b\nc,d,e,f,g\n") << ';';
    QTest::newRow("only the first line counts (CR)") << QByteArray("a;b\rc,d,e,f,g\r") << ';';
    QTest::newRow("delimiters inside quotes do not count") << QByteArray("\"x,y,z\";a\n") << ';';
    QTest::newRow("doubled quotes stay inside the field")
        << QByteArray("\"a\"\"b;c;d\",e\n") << ',';
    QTest::newRow("newline inside a quoted header field")
        << QByteArray("\"a\nb,c,d\";e;f\n") << ';';
}

void tst_CsvReader::detectsDelimiter()
{
    QFETCH(QByteArray, firstChunk);
    QFETCH(char, delimiter);
    QCOMPARE(CsvReader::detectDelimiter(firstChunk), delimiter);
}

void tst_CsvReader::usesTheGivenDelimiter()
{
    CsvReader::Options options;
    options.delimiter = ';';
    const Outcome out = readBytes("email;note\na@x.com;one, two, three\n", options);
    QVERIFY2(out.ok, qPrintable(out.text));
    QCOMPARE(out.delimiter, ';');
    QCOMPARE(out.records,
             (QList<Record>{{1, {"email", "note"}}, {2, {"a@x.com", "one, two, three"}}}));
}

void tst_CsvReader::tooManyFields()
{
    for (const qsizetype chunk : kChunkSizes) {
        CsvReader::Options options = optionsFor(chunk);
        options.maxFields = 3;
        options.requireEqualFieldCounts = false;
        const Outcome out = readBytes("a,b,c\n1,2,3\n1,2,3,4\n", options);
        QVERIFY2(!out.ok, qPrintable(chunkName(chunk)));
        QCOMPARE(out.where, u"t.csv line 3"_s);
        QVERIFY2(out.message.contains(u"more than 3 fields"_s), qPrintable(out.text));
        QCOMPARE(out.records.size(), 2);
    }
}

void tst_CsvReader::unequalRowsWhenAllowed()
{
    CsvReader::Options options;
    options.requireEqualFieldCounts = false;
    const Outcome out = readBytes("a,b\n1\n1,2,3\n", options);
    QVERIFY2(out.ok, qPrintable(out.text));
    QCOMPARE(out.records, (QList<Record>{{1, {"a", "b"}}, {2, {"1"}}, {3, {"1", "2", "3"}}}));
}

void tst_CsvReader::handlerStops()
{
    const QByteArray input = "email,name\na@x.com,Ann\nb@x.com,Bob\nc@x.com,Cy\n";
    for (const qsizetype chunk : kChunkSizes) {
        const Outcome out = readBytes(input, optionsFor(chunk),
                                      [](CsvReader &, const Record &r) { return r.line < 2; });
        QVERIFY2(!out.ok, qPrintable(chunkName(chunk)));
        QVERIFY(out.stopped);
        QVERIFY2(!out.hasError, qPrintable(out.text));
        // Nothing is handed over after the record the handler refused.
        QCOMPARE(out.records, (QList<Record>{{1, {"email", "name"}}, {2, {"a@x.com", "Ann"}}}));
        QCOMPARE(out.recordCount, 2);
    }
}

void tst_CsvReader::handlerFails()
{
    const QByteArray input = "name,phone\nAnn,123\n";
    for (const qsizetype chunk : kChunkSizes) {
        const Outcome out
            = readBytes(input, optionsFor(chunk), [](CsvReader &reader, const Record &r) {
                  reader.fail(r.line, u"no email column."_s, u"Choose the contact export."_s);
                  return false;
              });
        QVERIFY(!out.ok);
        QVERIFY(out.hasError);
        QCOMPARE(out.where, u"t.csv line 1"_s);
        QCOMPARE(out.message, u"no email column."_s);
        QCOMPARE(out.text, u"t.csv line 1: no email column. Choose the contact export."_s);
        QCOMPARE(out.records.size(), 1);
    }
}

void tst_CsvReader::chunkHandlerCancels()
{
    QByteArray input = "email,name\n";
    for (int i = 0; i < 50; ++i)
        input += "user" + QByteArray::number(i) + "@example.com,Name\n";

    for (const qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(64)}) {
        QBuffer buffer(&input);
        buffer.open(QIODevice::ReadOnly);
        CsvReader reader(kSource, optionsFor(chunk));
        int records = 0;
        int calls = 0;
        const bool ok = reader.read(
            buffer,
            [&](qint64, std::span<const QByteArrayView>) {
                ++records;
                return true;
            },
            [&](qint64) {
                ++calls;
                return false;
            });
        QVERIFY(!ok);
        QVERIFY(reader.stopped());
        QVERIFY(!reader.hasError());
        QCOMPARE(calls, 1);
        QVERIFY2(reader.bytesRead() < input.size(), qPrintable(chunkName(chunk)));
        QVERIFY(records < 51);
        QCOMPARE(reader.recordCount(), records);
    }
}

void tst_CsvReader::chunkHandlerSeesProgress()
{
    QByteArray input = "email,name\n";
    for (int i = 0; i < 20; ++i)
        input += "user" + QByteArray::number(i) + "@example.com,Name\n";
    QBuffer buffer(&input);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(kSource, optionsFor(16));
    QList<qint64> seen;
    const bool ok = reader.read(
        buffer, [](qint64, std::span<const QByteArrayView>) { return true; },
        [&](qint64 bytes) {
            seen.append(bytes);
            return true;
        });
    QVERIFY(ok);
    QVERIFY(seen.size() > 1);
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen[i] > seen[i - 1]);
    QCOMPARE(seen.last(), qint64(input.size()));
    QCOMPARE(reader.recordCount(), 21);
}

void tst_CsvReader::unreadableDevice()
{
    QBuffer closed; // never opened: every read fails
    CsvReader reader(kSource);
    QTest::ignoreMessage(QtWarningMsg, "QIODevice::read (QBuffer): device not open");
    const bool ok
        = reader.read(closed, [](qint64, std::span<const QByteArrayView>) { return true; });
    QVERIFY(!ok);
    QVERIFY(reader.hasError());
    QVERIFY2(reader.error().message.contains(u"could not be read"_s),
             qPrintable(reader.error().toString()));
    QCOMPARE(reader.error().where, u"t.csv line 1"_s);
}

QTEST_GUILESS_MAIN(tst_CsvReader)
#include "tst_csvreader.moc"
