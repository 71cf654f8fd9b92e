#include "integrity/exportrecordsource.h"
#include "integrity/exportrecordsource_p.h"

#include "csv/csvreader.h"
#include "csv/csvscanner.h"

#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QRegularExpression>

#include <algorithm>
#include <deque>

using namespace Qt::StringLiterals;

namespace {

constexpr quint64 kOffsetMask = (quint64(1) << ExportRecordSource::kOffsetBits) - 1;

/**
 * Passes a file through to CsvReader and notes where each line starts on the way (a line ends at
 * LF, CRLF or a lone CR, as CsvReader counts them), so that a record's line becomes its byte
 * offset. Only the lines of the chunk CsvReader is parsing are held.
 */
class LineOffsetDevice : public QIODevice
{
public:
    explicit LineOffsetDevice(QIODevice &inner) : m_inner(inner)
    {
        m_starts.emplace_back(1, 0);
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

    /// Where `line` starts; -1 when it was passed already or not read yet.
    qint64 offsetOf(qint64 line)
    {
        while (!m_starts.empty() && m_starts.front().first < line)
            m_starts.pop_front();
        return !m_starts.empty() && m_starts.front().first == line ? m_starts.front().second : -1;
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = m_inner.read(data, maxSize);
        if (n < 0) {
            setErrorString(m_inner.errorString());
            return -1;
        }
        for (qint64 i = 0; i < n; ++i) {
            const char c = data[i];
            if (c == '\n' && m_lastWasCr) {
                m_starts.back().second = m_offset + i + 1; // the LF of a CRLF
                m_lastWasCr = false;
            } else if (c == '\n' || c == '\r') {
                m_starts.emplace_back(++m_line + 1, m_offset + i + 1);
                m_lastWasCr = c == '\r';
            } else {
                m_lastWasCr = false;
            }
        }
        m_offset += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QIODevice &m_inner;
    std::deque<std::pair<qint64, qint64>> m_starts; // line, offset
    qint64 m_offset = 0;
    qint64 m_line = 0; // line ends seen
    bool m_lastWasCr = false;
};

// The line a CsvReader error names ("members.csv line 12"): its trailing number.
qint64 lineOf(const Error &error)
{
    static const QRegularExpression re(u"(\\d+)$"_s);
    const auto m = re.match(error.where);
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

} // namespace

ExportRecordSource::ExportRecordSource(QString path) : m_path(std::move(path)) {}

ExportRecordSource::~ExportRecordSource() = default;

QString ExportRecordSource::displayName() const
{
    return m_path;
}

std::optional<TargetPlatform> ExportRecordSource::platform() const
{
    switch (m_dialect) {
    case ExportDialect::Mailchimp: return TargetPlatform::Mailchimp;
    case ExportDialect::Brevo: return TargetPlatform::Brevo;
    case ExportDialect::Klaviyo: return TargetPlatform::Klaviyo;
    case ExportDialect::Generic: break;
    }
    return std::nullopt;
}

Error ExportRecordSource::csvError(const Error &error, const Part &part) const
{
    return Error(error.message, where(part.shown, lineOf(error)), error.hint);
}

Status ExportRecordSource::readHeader(Part &p)
{
    Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(p.part);
    if (!device)
        return Error(device.error().message, where(p.shown, 0), device.error().hint);
    CsvReader reader(p.shown);
    QStringList header;
    const bool ok = reader.read(**device, [&](qint64, std::span<const QByteArrayView> f) {
        for (const QByteArrayView v : f)
            header.append(QString::fromUtf8(v).trimmed());
        return false;
    });
    if (!ok && reader.hasError())
        return csvError(reader.error(), p);
    if (header.isEmpty())
        return Error(tr("the file is empty: it has no header row."), where(p.shown, 1),
                     tr("Choose a contact export."));
    p.delimiter = reader.delimiter();
    p.width = int(header.size());
    Result<ExportLayout> layout = ExportDialectDetector::recognise(p.part.fileName(), header);
    if (!m_emailOverride.isEmpty()) {
        // A mapping file names the email column: the file need not have a recognisable one.
        const int e = int(header.indexOf(m_emailOverride));
        if (e < 0)
            return Error(tr("the mapping names the email column \"%1\", which this file does not have.")
                             .arg(m_emailOverride),
                         where(p.shown, 1));
        if (!layout) {
            ExportLayout l;
            for (const QString &h : std::as_const(header))
                l.columns.append(ExportColumn{h, ColumnRole::CustomField, std::nullopt});
            layout = l;
        }
        for (ExportColumn &c : layout->columns) {
            if (c.role == ColumnRole::Email)
                c.role = ColumnRole::CustomField;
        }
        layout->emailColumn = e;
        layout->columns[e].role = ColumnRole::Email;
    }
    if (!layout)
        return Error(layout.error().message, where(p.shown, 1), layout.error().hint);
    p.layout = layout.value();
    p.statusCol = p.layout.columnWithRole(ColumnRole::Status);
    if (!m_statusOverride.isEmpty()) {
        p.statusCol = int(header.indexOf(m_statusOverride));
        if (p.statusCol < 0)
            return Error(tr("the mapping names the status column \"%1\", which this file does not have.")
                             .arg(m_statusOverride),
                         where(p.shown, 1));
    }
    p.blockCol = p.layout.columnWithRole(ColumnRole::Blocklisted);
    p.suppressionCol = p.layout.columnWithRole(ColumnRole::SuppressionReason);
    return Status::success();
}

Status ExportRecordSource::open()
{
    m_parts.clear();
    m_fields.clear();
    Result<QList<ExportPart>> listed = ExportFiles::list(m_path);
    if (!listed)
        return Error(listed.error().message, where(m_path, 0), listed.error().hint);
    if (listed->isEmpty())
        return Error(tr("the archive holds no CSV file."), where(m_path, 0), tr("Choose a contact export."));
    for (const ExportPart &ep : std::as_const(listed.value())) {
        auto p = std::make_unique<Part>();
        p->part = ep;
        p->shown = ep.inArchive() ? ep.displayName() : m_path;
        if (const Status s = readHeader(*p); !s)
            return s;
        if (m_parts.empty())
            m_dialect = p->layout.dialect;
        // The union of the parts' columns: Mailchimp's per-status files differ in their last ones.
        p->columnOf.assign(size_t(m_fields.size()), -1);
        for (int c = 0; c < p->layout.columns.size(); ++c) {
            const ExportColumn &col = p->layout.columns[c];
            if (c == p->layout.emailColumn)
                continue;
            int f = fieldIndex(col.name);
            if (f < 0 || p->columnOf[size_t(f)] >= 0) {
                const bool custom = col.role == ColumnRole::CustomField;
                m_fields.append(DiffSourceField{col.name, col.name, col.knownType, col.role == ColumnRole::Tags,
                                                custom});
                f = int(m_fields.size()) - 1;
                p->columnOf.push_back(-1);
            }
            p->columnOf[size_t(f)] = c;
        }
        m_parts.push_back(std::move(p));
    }
    for (auto &p : m_parts)
        p->columnOf.resize(size_t(m_fields.size()), -1);
    return Status::success();
}

Status ExportRecordSource::scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel)
{
    std::vector<QByteArrayView> values(size_t(columns.size()));
    for (size_t pi = 0; pi < m_parts.size(); ++pi) {
        Part &p = *m_parts[pi];
        Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(p.part);
        if (!device)
            return Error(device.error().message, where(p.shown, 0), device.error().hint);
        qint64 handled = 0; // records of this part handed over, the header row included
        bool cancelled = false;
        const auto deliver = [&](qint64 line, qint64 offset, std::span<const QByteArrayView> f) {
            if (handled++ == 0)
                return true; // the header row
            DiffRecord r = p.record(f, columns, values);
            r.line = line;
            r.locator = (quint64(pi) << kOffsetBits) | (quint64(offset) & kOffsetMask);
            return visit(r);
        };

        // The common shape with CsvScanner; what it does not read with CsvReader, from the
        // record where it stopped.
        CsvScanner scanner(p.delimiter);
        const CsvScanner::Outcome outcome = scanner.scan(**device, [&](const CsvScanner::Record &r) {
            if ((handled & 0xFFFF) == 0 && cancel && cancel->load(std::memory_order_relaxed)) {
                cancelled = true;
                return false;
            }
            return deliver(r.line, r.offset, r.fields);
        });
        if (outcome == CsvScanner::Outcome::Stopped)
            return Status::success(); // stopped by the visitor or cancelled
        if (outcome == CsvScanner::Outcome::Done)
            continue;

        const qint64 skip = scanner.recordsHandled();
        device = ExportFiles::open(p.part);
        if (!device)
            return Error(device.error().message, where(p.shown, 0), device.error().hint);
        LineOffsetDevice lines(**device);
        CsvReader reader(p.shown);
        qint64 seen = 0;
        const bool ok = reader.read(
            lines,
            [&](qint64 line, std::span<const QByteArrayView> f) {
                const qint64 offset = lines.offsetOf(line);
                if (seen++ < skip)
                    return true; // handed over by the scanner already
                return deliver(line, offset, f);
            },
            [&](qint64) {
                cancelled = cancel && cancel->load(std::memory_order_relaxed);
                return !cancelled;
            });
        if (!ok && reader.hasError())
            return csvError(reader.error(), p);
        if (!ok)
            return Status::success(); // stopped by the visitor or cancelled
    }
    return Status::success();
}

bool ExportRecordSource::seekable() const
{
    return std::none_of(m_parts.begin(), m_parts.end(), [](const auto &p) { return p->part.inArchive(); });
}

Status ExportRecordSource::visitAt(std::span<const quint64> locators, const QList<int> &columns,
                                   const Visitor &visit, const std::atomic_bool *cancel)
{
    if (!seekable())
        return DiffRecordSource::visitAt(locators, columns, visit, cancel); // a zip entry cannot seek
    std::vector<QByteArrayView> values(size_t(columns.size()));
    size_t k = 0;
    while (k < locators.size()) {
        const size_t pi = size_t(locators[k] >> kOffsetBits);
        if (pi >= m_parts.size())
            break;
        Part &p = *m_parts[pi];
        QFile file(p.part.filePath);
        if (!file.open(QIODevice::ReadOnly))
            return Error(file.errorString(), p.shown);
        for (; k < locators.size() && size_t(locators[k] >> kOffsetBits) == pi; ++k) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return Status::success();
            const quint64 locator = locators[k];
            const qint64 offset = qint64(locator & kOffsetMask);
            if (!file.seek(offset))
                return Error(file.errorString(), p.shown);
            bool keepGoing = true;
            const auto deliver = [&](std::span<const QByteArrayView> f) {
                if (f.size() != size_t(p.width))
                    return; // no record starts here any more: the file changed
                DiffRecord r = p.record(f, columns, values);
                r.locator = locator;
                keepGoing = visit(r);
            };
            // One record from here: CsvScanner, else (an unusual record) CsvReader.
            CsvScanner scanner(p.delimiter, 16 * 1024);
            const CsvScanner::Outcome outcome = scanner.scan(file, [&](const CsvScanner::Record &r) {
                deliver(r.fields);
                return false;
            });
            if (outcome != CsvScanner::Outcome::Stopped) {
                if (!file.seek(offset))
                    return Error(file.errorString(), p.shown);
                CsvReader::Options options;
                options.requireEqualFieldCounts = false;
                options.delimiter = p.delimiter;
                options.chunkBytes = 16 * 1024;
                CsvReader reader(p.shown, options);
                reader.read(file, [&](qint64, std::span<const QByteArrayView> f) {
                    deliver(f);
                    return false;
                });
            }
            if (!keepGoing)
                return Status::success();
        }
    }
    return Status::success();
}

Result<DiffRecordCopy> ExportRecordSource::readAt(quint64 locator, const QList<int> &columns)
{
    QMutexLocker lock(&m_readMutex);
    const size_t pi = size_t(locator >> kOffsetBits);
    const qint64 offset = qint64(locator & kOffsetMask);
    if (pi >= m_parts.size())
        return Error(tr("no such record."), displayName());
    Part &p = *m_parts[pi];

    std::unique_ptr<QIODevice> device;
    if (!p.part.inArchive()) {
        auto file = std::make_unique<QFile>(p.part.filePath);
        if (!file->open(QIODevice::ReadOnly) || !file->seek(offset))
            return Error(file->errorString(), p.shown);
        device = std::move(file);
    } else {
        // A zip entry cannot seek: read up to the record.
        Result<std::unique_ptr<QIODevice>> opened = ExportFiles::open(p.part);
        if (!opened)
            return opened.error();
        device = std::move(opened).value();
        for (qint64 left = offset; left > 0;) {
            const QByteArray skipped = device->read(std::min<qint64>(left, 1 << 20));
            if (skipped.isEmpty())
                return Error(tr("the file is shorter than when it was compared."), p.shown, tr("Compare again."));
            left -= skipped.size();
        }
    }
    CsvReader::Options options;
    options.requireEqualFieldCounts = false;
    options.delimiter = p.delimiter;
    options.chunkBytes = 16 * 1024;
    CsvReader reader(p.shown, options);
    std::optional<DiffRecordCopy> found;
    reader.read(*device, [&](qint64, std::span<const QByteArrayView> f) {
        if (f.size() == size_t(p.width)) {
            DiffRecordCopy copy;
            copy.email = QString::fromUtf8(f[size_t(p.layout.emailColumn)]);
            copy.status = p.status(f);
            for (const int col : columns) {
                const int c = p.columnOf[size_t(col)];
                copy.values.append(c >= 0 ? QString::fromUtf8(f[size_t(c)]) : QString());
            }
            copy.where = p.shown;
            found = std::move(copy);
        }
        return false;
    });
    if (!found)
        return Error(tr("no record starts here any more: the file changed since it was compared."), p.shown,
                     tr("Compare again."));
    return std::move(*found);
}
