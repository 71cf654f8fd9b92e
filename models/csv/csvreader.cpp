#include "csv/csvreader.h"

#include <QIODevice>

#include <csv.h>

#include <algorithm>
#include <cstring>

namespace {

qint64 countNewlines(const char *data, size_t len)
{
    // A line ends at LF, CRLF, or a lone CR.
    qint64 n = 0;
    const char *end = data + len;
    for (const char *p = data; p < end; ++p) {
        if (*p == '\n')
            ++n;
        else if (*p == '\r' && (p + 1 == end || p[1] != '\n'))
            ++n;
    }
    return n;
}

bool mayContainNewline(const char *data, size_t len)
{
    return std::memchr(data, '\n', len) || std::memchr(data, '\r', len);
}

// The field length limit as the message states it ("1 MiB", or "4096 bytes" for a smaller one).
QString limitText(qsizetype bytes)
{
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
        return CsvReader::tr("%1 MiB").arg(bytes >> 20);
    return CsvReader::tr("%1 bytes").arg(bytes);
}

// The byte order mark and the delimiter are decided on the first line, gathered up to this size
// however small the reads are.
constexpr size_t kFirstLineLimit = 64 * 1024;

} // namespace

struct CsvReader::Parser
{
    csv_parser p{};
    Parser() { csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL); }
    ~Parser() { csv_free(&p); }
};

CsvReader::CsvReader(QString sourceName) : CsvReader(std::move(sourceName), Options{}) {}

CsvReader::CsvReader(QString sourceName, Options options)
    : m_parser(std::make_unique<Parser>()), m_source(std::move(sourceName)), m_options(options)
{
    // Grow the field buffer in 4 KiB steps (libcsv's default is 128 bytes).
    csv_set_blk_size(&m_parser->p, 4096);
}

CsvReader::~CsvReader() = default;

char CsvReader::detectDelimiter(QByteArrayView firstChunk)
{
    int comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (const char c : firstChunk) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted) {
            if (c == '\n' || c == '\r')
                break;
            if (c == ',')
                ++comma;
            else if (c == ';')
                ++semicolon;
            else if (c == '\t')
                ++tab;
        }
    }
    if (semicolon > comma && semicolon >= tab)
        return ';';
    if (tab > comma && tab > semicolon)
        return '\t';
    return ',';
}

QString CsvReader::where(qint64 line) const
{
    return tr("%1 line %2").arg(m_source).arg(line);
}

void CsvReader::fail(qint64 line, const QString &message, const QString &hint)
{
    if (!m_error)
        m_error = Error{message, where(line), hint};
}

void CsvReader::fieldCallback(void *data, size_t len, void *self)
{
    static_cast<CsvReader *>(self)->onField(static_cast<const char *>(data), len);
}

void CsvReader::rowCallback(int terminator, void *self)
{
    static_cast<CsvReader *>(self)->onRow(terminator);
}

void CsvReader::onField(const char *data, size_t len)
{
    if (m_error || m_stopped)
        return; // libcsv cannot be interrupted mid-chunk; ignore the rest of it
    const qint64 fieldLine = m_nextLine + m_rowNewlines;
    const int column = int(m_spans.size()) + 1;
    if (len > size_t(m_options.maxFieldBytes)) {
        fail(fieldLine,
             tr("field %1 is longer than %2.").arg(column).arg(limitText(m_options.maxFieldBytes)),
             tr("This usually means an opening quote is never closed, or the file is not a CSV export."));
        return;
    }
    if (len && std::memchr(data, '\0', len)) {
        fail(fieldLine, tr("the file contains binary data (a NUL byte) in field %1.").arg(column),
             tr("This is not a CSV text file; choose the CSV export (or the zip that contains it)."));
        return;
    }
    if (int(m_spans.size()) >= m_options.maxFields) {
        fail(fieldLine, tr("a record has more than %1 fields.").arg(m_options.maxFields),
             tr("This is not a contact export, or its delimiter was not recognised."));
        return;
    }
    if (len && mayContainNewline(data, len))
        m_rowNewlines += countNewlines(data, len);

    const QByteArrayView bytes(data, qsizetype(len));
    const size_t offset = m_arena.size();
    if (TextCodec::isAscii(bytes)) {
        m_arena.append(data, len);
    } else {
        if (m_encoding == TextEncoding::Undecided)
            m_encoding = TextCodec::isValidUtf8(bytes) ? TextEncoding::Utf8 : TextEncoding::Windows1252;
        if (m_encoding == TextEncoding::Utf8) {
            if (!TextCodec::isValidUtf8(bytes)) {
                fail(fieldLine, tr("field %1 is not valid UTF-8, although earlier lines are.").arg(column),
                     tr("The file mixes text encodings; save it again as UTF-8."));
                return;
            }
            m_arena.append(data, len);
        } else {
            TextCodec::appendWindows1252AsUtf8(m_arena, bytes);
        }
    }
    m_spans.emplace_back(offset, m_arena.size() - offset);
}

void CsvReader::onRow(int terminator)
{
    if (m_error || m_stopped)
        return;
    if (m_spans.empty()) {
        // A blank line, or the LF of a CRLF pair (reported separately with CSV_REPALL_NL).
        if (!(terminator == '\n' && m_lastWasCr))
            ++m_nextLine;
        m_lastWasCr = terminator == '\r';
        return;
    }

    const qint64 line = m_nextLine;
    const int fields = int(m_spans.size());
    if (m_width < 0) {
        m_width = fields;
    } else if (m_options.requireEqualFieldCounts && fields != m_width) {
        fail(line, (fields == 1 ? tr("this row has 1 field") : tr("this row has %1 fields").arg(fields))
                       + (m_width == 1 ? tr(" but the header has 1.") : tr(" but the header has %1.").arg(m_width)),
             tr("The file is damaged, was cut short or edited by hand, or a value contains an "
                "unquoted delimiter; fix that row and assess again."));
        return;
    }

    m_views.clear();
    for (const auto &[offset, length] : m_spans)
        m_views.emplace_back(m_arena.data() + offset, qsizetype(length));
    ++m_records;
    if (m_onRecord && !(*m_onRecord)(line, std::span<const QByteArrayView>(m_views)))
        m_stopped = true;

    m_nextLine += m_rowNewlines + (terminator == '\n' || terminator == '\r' ? 1 : 0);
    m_lastWasCr = terminator == '\r';
    m_rowNewlines = 0;
    m_spans.clear();
    m_arena.clear();
}

bool CsvReader::parse(const char *data, size_t len)
{
    csv_parser &p = m_parser->p;
    const size_t done = csv_parse(&p, data, len, &CsvReader::fieldCallback, &CsvReader::rowCallback, this);
    if (m_error || m_stopped)
        return false;
    if (done < len) {
        const qint64 partialNewlines = p.entry_buf ? countNewlines(reinterpret_cast<const char *>(p.entry_buf), p.entry_pos) : 0;
        const qint64 line = m_nextLine + m_rowNewlines + partialNewlines;
        if (csv_error(&p) == CSV_EPARSE) {
            fail(line, tr("malformed quotes in field %1.").arg(m_spans.size() + 1),
                 tr("A field that contains quotes must be enclosed in quotes, with each quote inside "
                    "it doubled (\"\")."));
        } else {
            fail(line, tr("the CSV parser failed: %1.").arg(QString::fromUtf8(csv_strerror(csv_error(&p)))));
        }
        return false;
    }
    // The unfinished field, without what libcsv may still drop: trailing blanks of an unquoted
    // field, or a closing quote and the blanks after it. Otherwise a field at the limit fails or
    // not depending on where a read ends.
    const size_t droppable = p.spaces + (p.quoted ? 1 : 0);
    const size_t fieldSoFar = p.entry_pos > droppable ? p.entry_pos - droppable : 0;
    if (fieldSoFar > size_t(m_options.maxFieldBytes)) {
        fail(m_nextLine + m_rowNewlines,
             tr("field %1 is longer than %2.")
                 .arg(m_spans.size() + 1)
                 .arg(limitText(m_options.maxFieldBytes)),
             tr("This usually means an opening quote is never closed, or the file is not a CSV export."));
        return false;
    }
    return true;
}

bool CsvReader::read(QIODevice &device, const RecordHandler &onRecord, const ChunkHandler &onChunk)
{
    m_onRecord = &onRecord;
    std::vector<char> buffer(size_t(std::max<qsizetype>(m_options.chunkBytes, 1)));
    const auto readChunk = [&]() -> qint64 {
        const qint64 n = device.read(buffer.data(), qint64(buffer.size()));
        if (n < 0) {
            fail(m_nextLine, tr("the file could not be read: %1.").arg(device.errorString()),
                 tr("Check that the file is still there and readable."));
        } else {
            m_bytesRead += n;
        }
        return n;
    };

    // Gather the whole first line (a line end outside quotes) before deciding the byte order
    // mark and the delimiter: a read may end anywhere in it.
    std::string head;
    size_t scanned = 0;
    bool quoted = false;
    const auto firstLineEnds = [&] {
        for (; scanned < head.size(); ++scanned) {
            const char c = head[scanned];
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r'))
                return true;
        }
        return false;
    };
    bool atEnd = false;
    for (;;) {
        const qint64 n = readChunk();
        if (n < 0)
            return false;
        atEnd = n == 0;
        head.append(buffer.data(), size_t(n));
        if (atEnd || head.size() >= kFirstLineLimit || firstLineEnds())
            break;
    }

    const char *data = head.data();
    size_t len = head.size();
    if (len >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        m_bom = true;
        m_encoding = TextEncoding::Utf8;
        data += 3;
        len -= 3;
    }
    m_delimiter = m_options.delimiter ? m_options.delimiter
                                      : detectDelimiter(QByteArrayView(data, qsizetype(len)));
    csv_set_delim(&m_parser->p, static_cast<unsigned char>(m_delimiter));

    while (len > 0) {
        if (!parse(data, len))
            return false;
        if (onChunk && !onChunk(m_bytesRead)) {
            m_stopped = true;
            return false;
        }
        if (atEnd)
            break;
        const qint64 n = readChunk();
        if (n < 0)
            return false;
        atEnd = n == 0;
        data = buffer.data();
        len = size_t(n);
    }

    csv_parser &p = m_parser->p;
    if (csv_fini(&p, &CsvReader::fieldCallback, &CsvReader::rowCallback, this) != 0) {
        fail(m_nextLine + m_rowNewlines,
             tr("the file ends inside a quoted field that starts on this line."),
             tr("The file looks incomplete (still being written, or cut short); export it again."));
        return false;
    }
    if (m_error || m_stopped)
        return false;
    if (m_records == 0) {
        fail(1, tr("the file is empty."), tr("Choose an export that has a header row and contacts."));
        return false;
    }
    return true;
}
