#include "csv/csvscanner.h"

#include <QIODevice>

#include <array>
#include <cstring>

namespace {

// What a byte means inside an unquoted field.
enum Class : unsigned char {
    Plain = 0,
    Stop,   // the delimiter, CR, LF: the field ends
    Bad,    // a quote or NUL: CsvReader's business
    High,   // a byte >= 0x80: text to check
};

std::array<unsigned char, 256> classes(char delimiter)
{
    std::array<unsigned char, 256> t{};
    for (int c = 0x80; c < 256; ++c)
        t[size_t(c)] = High;
    t[static_cast<unsigned char>(delimiter)] = Stop;
    t['\r'] = Stop;
    t['\n'] = Stop;
    t['"'] = Bad;
    t[0] = Bad;
    return t;
}

inline bool isBlank(char c, char delimiter)
{
    return (c == ' ' || c == '\t') && c != delimiter;
}

// A record larger than this is left to CsvReader.
constexpr size_t kMaxBufferBytes = 64 << 20;

} // namespace

CsvScanner::CsvScanner(char delimiter, qsizetype bufferBytes)
    : m_delimiter(delimiter), m_classes(classes(delimiter)), m_buffer(size_t(std::max<qsizetype>(bufferBytes, 4096)))
{
}

bool CsvScanner::checkText(const char *begin, const char *end)
{
    // Inside a quoted field: line ends are counted (LF, CRLF or a lone CR, as CsvReader counts
    // them), NUL is CsvReader's business, and non-ASCII is checked with the record.
    for (const char *p = begin; p < end; ++p) {
        // Eight bytes at a time while all are printable ASCII (0x20 to 0x7F).
        while (end - p >= 8) {
            quint64 w;
            std::memcpy(&w, p, 8);
            constexpr quint64 kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
            if (((w - kOnes * 0x20) | w) & kHigh)
                break; // a byte below 0x20 or from 0x80: look at each
            p += 8;
        }
        if (p == end)
            break;
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            noteText(p);
        } else if (c == '\n') {
            ++m_lineEnds;
        } else if (c == '\r') {
            if (p + 1 == end || p[1] != '\n')
                ++m_lineEnds;
        } else if (c == 0) {
            return false;
        }
    }
    return true;
}

CsvScanner::Parse CsvScanner::parseRecord(char *begin, char *end, bool atEnd, char *&next)
{
    const unsigned char *const table = m_classes.data();
    const char delimiter = m_delimiter;
    m_fields.clear();
    m_lineEnds = 0;
    m_textBegin = m_textEnd = nullptr;
    const auto add = [&](char *b, char *e, bool doubled) {
        if (m_fields.size() >= size_t(kMaxFields) || e - b > kMaxFieldBytes)
            return false;
        m_fields.push_back(Field{b, e, doubled});
        return true;
    };
    char *p = begin;
    for (;;) {
        while (p < end && isBlank(*p, delimiter))
            ++p;
        if (p == end) {
            if (!atEnd)
                return Parse::NeedMore;
            if (!add(p, p, false))
                return Parse::Unsure;
            break; // the last field, at the end of the stream
        }
        if (*p == '"') {
            char *const fieldBegin = ++p;
            char *fieldEnd = nullptr;
            bool doubled = false;
            for (;;) {
                char *q = static_cast<char *>(std::memchr(p, '"', size_t(end - p)));
                if (!q)
                    return atEnd ? Parse::Unsure : Parse::NeedMore; // unclosed at the end: an error
                if (!checkText(p, q))
                    return Parse::Unsure;
                if (q + 1 == end && !atEnd)
                    return Parse::NeedMore;
                if (q + 1 < end && q[1] == '"') {
                    doubled = true;
                    p = q + 2;
                    continue;
                }
                fieldEnd = q;
                p = q + 1;
                break;
            }
            while (p < end && isBlank(*p, delimiter))
                ++p;
            if (p == end && !atEnd)
                return Parse::NeedMore;
            if (!add(fieldBegin, fieldEnd, doubled))
                return Parse::Unsure;
            if (p == end)
                break;
            if (*p == delimiter) {
                ++p;
                continue;
            }
            if (*p == '\r' || *p == '\n') {
                next = p;
                return Parse::Complete;
            }
            return Parse::Unsure; // text after a closing quote
        }
        char *const fieldBegin = p;
        while (p < end) {
            const unsigned char cls = table[static_cast<unsigned char>(*p)];
            if (cls == Plain) {
                ++p;
                continue;
            }
            if (cls == Stop)
                break;
            if (cls == Bad)
                return Parse::Unsure; // a quote inside an unquoted field, or NUL
            noteText(p++);
        }
        if (p == end && !atEnd)
            return Parse::NeedMore;
        char *fieldEnd = p;
        while (fieldEnd > fieldBegin && (fieldEnd[-1] == ' ' || fieldEnd[-1] == '\t'))
            --fieldEnd;
        if (!add(fieldBegin, fieldEnd, false))
            return Parse::Unsure;
        if (p == end)
            break;
        if (*p == delimiter) {
            ++p;
            continue;
        }
        next = p; // CR or LF
        return Parse::Complete;
    }
    next = end;
    return Parse::Complete;
}

CsvScanner::Outcome CsvScanner::record(char *begin, char *end, bool atEnd, char *&next, qint64 line,
                                       qint64 lineStart, const Handler &handler, bool &needMore)
{
    const Parse parsed = parseRecord(begin, end, atEnd, next);
    if (parsed == Parse::NeedMore) {
        needMore = true;
        return Outcome::Done;
    }
    if (parsed == Parse::Unsure)
        return Outcome::Unsure;
    if (m_width < 0)
        m_width = int(m_fields.size());
    else if (int(m_fields.size()) != m_width)
        return Outcome::Unsure; // a ragged row: CsvReader names it
    if (m_textBegin) {
        // From the first byte >= 0x80 to the last: the rest is ASCII, which no UTF-8 sequence
        // contains, so this is valid exactly when the whole record is.
        const QByteArrayView text(m_textBegin, m_textEnd - m_textBegin);
        if (m_encoding == TextEncoding::Undecided && TextCodec::isValidUtf8(text))
            m_encoding = TextEncoding::Utf8;
        else if (m_encoding != TextEncoding::Utf8 || !TextCodec::isValidUtf8(text))
            return Outcome::Unsure; // Windows-1252, or mixed
    }
    m_views.clear();
    for (const Field &f : m_fields) {
        if (!f.doubledQuotes) {
            m_views.emplace_back(f.begin, f.end - f.begin);
            continue;
        }
        char *w = f.begin;
        for (const char *r = f.begin; r < f.end; ++r) {
            *w++ = *r;
            if (*r == '"')
                ++r; // the second of a doubled quote
        }
        m_views.emplace_back(f.begin, w - f.begin);
    }
    ++m_records;
    if (!handler(Record{std::span<const QByteArrayView>(m_views), line, lineStart}))
        return Outcome::Stopped;
    return Outcome::Done;
}

CsvScanner::Outcome CsvScanner::scanPiece(char *bytes, size_t size, int width, const Handler &handler)
{
    m_records = 0;
    m_width = width;
    m_encoding = TextEncoding::Undecided;
    qint64 line = 1;
    bool lastWasCr = false;
    size_t pos = 0;
    while (pos < size) {
        char *const begin = bytes + pos;
        char *const end = bytes + size;
        if (*begin == '\n' || *begin == '\r') {
            if (!(*begin == '\n' && lastWasCr))
                ++line;
            lastWasCr = *begin == '\r';
            ++pos;
            continue;
        }
        if (isBlank(*begin, m_delimiter)) {
            char *p = begin;
            while (p < end && isBlank(*p, m_delimiter))
                ++p;
            if (p == end || *p == '\r' || *p == '\n')
                return Outcome::Unsure;
        }
        // Where this line starts: after the line end before it (offsets count from the piece).
        const qint64 lineStart = qint64(pos);
        char *next = nullptr;
        bool needMore = false;
        const Outcome handed = record(begin, end, true, next, line, lineStart, handler, needMore);
        if (handed != Outcome::Done)
            return handed;
        line += m_lineEnds;
        pos = size_t(next - bytes);
        if (pos < size) {
            lastWasCr = bytes[pos] == '\r';
            ++line;
            ++pos;
        }
    }
    return Outcome::Done;
}

CsvScanner::Outcome CsvScanner::scan(QIODevice &device, const Handler &handler)
{
    m_records = 0;
    m_width = -1;
    m_encoding = TextEncoding::Undecided;
    qint64 bufferOffset = 0; // stream offset of m_buffer[0]
    size_t length = 0;       // bytes in the buffer
    size_t pos = 0;          // where parsing is
    bool atEnd = false;
    qint64 line = 1;
    qint64 lineStart = 0; // stream offset where `line` starts
    bool lastWasCr = false;

    // Keeps [pos, length) and reads more after it; false on a read error.
    const auto refill = [&]() -> bool {
        if (pos > 0) {
            std::memmove(m_buffer.data(), m_buffer.data() + pos, length - pos);
            bufferOffset += qint64(pos);
            length -= pos;
            pos = 0;
        }
        if (length == m_buffer.size()) {
            if (m_buffer.size() >= kMaxBufferBytes)
                return false;
            m_buffer.resize(m_buffer.size() * 2);
        }
        const qint64 n = device.read(m_buffer.data() + length, qint64(m_buffer.size() - length));
        if (n < 0)
            return false;
        atEnd = n == 0;
        length += size_t(n);
        return true;
    };

    if (!refill())
        return Outcome::Unsure;
    while (!atEnd && length < 3) {
        if (!refill())
            return Outcome::Unsure;
    }
    if (length >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0) {
        m_encoding = TextEncoding::Utf8;
        pos = 3;
    }

    for (;;) {
        if (pos == length) {
            if (atEnd)
                break;
            if (!refill())
                return Outcome::Unsure;
            continue;
        }
        char *const begin = m_buffer.data() + pos;
        char *const end = m_buffer.data() + length;
        // Line ends between records: blank lines, and the LF of a record's CRLF.
        if (*begin == '\n' || *begin == '\r') {
            if (!(*begin == '\n' && lastWasCr))
                ++line;
            lastWasCr = *begin == '\r';
            ++pos;
            lineStart = bufferOffset + qint64(pos);
            continue;
        }
        // A line of blanks only is read differently by CsvReader and the line counting: theirs.
        if (isBlank(*begin, m_delimiter)) {
            char *p = begin;
            while (p < end && isBlank(*p, m_delimiter))
                ++p;
            if (p == end && !atEnd) {
                if (!refill())
                    return Outcome::Unsure;
                continue;
            }
            if (p == end || *p == '\r' || *p == '\n')
                return Outcome::Unsure;
        }
        char *next = nullptr;
        bool needMore = false;
        const Outcome handed = record(begin, end, atEnd, next, line, lineStart, handler, needMore);
        if (needMore) {
            if (!refill())
                return Outcome::Unsure;
            continue;
        }
        if (handed != Outcome::Done)
            return handed;
        line += m_lineEnds;
        pos = size_t(next - m_buffer.data());
        if (pos < length) { // the record's line end
            const char term = m_buffer[pos];
            ++line;
            lastWasCr = term == '\r';
            ++pos;
            lineStart = bufferOffset + qint64(pos);
        }
    }
    return m_records > 0 ? Outcome::Done : Outcome::Unsure;
}
