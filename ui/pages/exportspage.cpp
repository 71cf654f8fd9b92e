#include "pages/exportspage.h"

#include "core/jobpool.h"
#include "dialogs/exportactions.h"
#include "dialogs/prompts.h"
#include "plan/plancontroller.h"
#include "reports/plandocument.h"
#include "reports/planpdfwriter.h"

#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPdfDocument>
#include <QPdfView>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent>

ExportsPage::ExportsPage(PlanController *plan, QWidget *parent) : QWizardPage(parent), m_plan(plan)
{
    setObjectName(QStringLiteral("page_exports"));
    setTitle(tr("Exports"));
    setSubTitle(tr("The migration plan as a PDF to hand to stakeholders, and the checklist for spreadsheets, wikis and calendars."));

    auto *layout = new QVBoxLayout(this);
    auto *planBox = new QGroupBox(tr("Migration plan (PDF)"), this);
    auto *planLayout = new QVBoxLayout(planBox);
    auto *row = new QHBoxLayout;
    m_status = new QLabel(planBox);
    m_status->setObjectName(QStringLiteral("previewStatusLabel"));
    row->addWidget(m_status, 1);
    m_refresh = new QPushButton(tr("Refresh preview"), planBox);
    m_refresh->setObjectName(QStringLiteral("refreshPreviewButton"));
    connect(m_refresh, &QPushButton::clicked, this, &ExportsPage::refresh);
    row->addWidget(m_refresh);
    m_save = new QPushButton(tr("Save PDF…"), planBox);
    m_save->setObjectName(QStringLiteral("savePdfButton"));
    m_save->setEnabled(false);
    connect(m_save, &QPushButton::clicked, this, &ExportsPage::savePdf);
    row->addWidget(m_save);
    planLayout->addLayout(row);
    m_document = new QPdfDocument(this);
    m_view = new QPdfView(planBox);
    m_view->setObjectName(QStringLiteral("pdfPreview"));
    m_view->setDocument(m_document);
    m_view->setPageMode(QPdfView::PageMode::MultiPage);
    m_view->setZoomMode(QPdfView::ZoomMode::FitToWidth);
    planLayout->addWidget(m_view, 1);
    layout->addWidget(planBox, 1);

    auto *checklistBox = new QGroupBox(tr("Checklist"), this);
    auto *checklistLayout = new QHBoxLayout(checklistBox);
    checklistLayout->addWidget(new QLabel(tr("Tasks per stage with owner, due date and status:"), checklistBox));
    checklistLayout->addStretch();
    for (const auto &[format, label] : {std::pair{QStringLiteral("pdf"), tr("PDF…")}, std::pair{QStringLiteral("csv"), tr("CSV…")},
                                        std::pair{QStringLiteral("md"), tr("Markdown…")},
                                        std::pair{QStringLiteral("ics"), tr("Calendar (iCalendar)…")}}) {
        auto *button = new QPushButton(label, checklistBox);
        button->setObjectName(QStringLiteral("exportsChecklist_") + format);
        const QString f = format;
        connect(button, &QPushButton::clicked, this, [this, f] { exportChecklist(f); });
        checklistLayout->addWidget(button);
    }
    layout->addWidget(checklistBox);
    auto *later = new QLabel(tr("Diff reports (CSV) are added here once the execution stages have run."), this);
    later->setObjectName(QStringLiteral("diffReportsNote"));
    later->setStyleSheet(QStringLiteral("color: palette(mid)"));
    layout->addWidget(later);

    connect(&m_watcher, &QFutureWatcher<Rendered>::finished, this, &ExportsPage::onRendered);
}

ExportsPage::~ExportsPage()
{
    m_watcher.waitForFinished();
}

void ExportsPage::initializePage()
{
    refresh();
}

void ExportsPage::refresh()
{
    if (m_watcher.isRunning()) {
        m_refreshAgain = true;
        return;
    }
    Result<PlanDocument> doc = m_plan->document();
    if (!doc) {
        m_status->setText(tr("The plan cannot be read: %1").arg(doc.error().toString()));
        return;
    }
    m_status->setText(tr("Preparing the preview…"));
    m_refresh->setEnabled(false);
    // Laying out and painting the PDF takes a moment on a long plan: off the GUI thread.
    m_watcher.setFuture(QtConcurrent::run(jobPool(), [document = std::move(doc).value()] {
        Result<QByteArray> pdf = PlanPdfWriter::render(document);
        Rendered r;
        if (pdf)
            r.pdf = pdf.value();
        else
            r.error = pdf.error();
        return r;
    }));
}

void ExportsPage::onRendered()
{
    m_refresh->setEnabled(true);
    const Rendered r = m_watcher.result();
    if (r.error) {
        m_status->setText(tr("The plan could not be laid out: %1").arg(r.error->toString()));
        m_save->setEnabled(false);
    } else {
        m_document->close();
        m_buffer.close();
        m_pdf = r.pdf;
        m_buffer.setData(m_pdf);
        m_buffer.open(QIODevice::ReadOnly);
        m_document->load(&m_buffer);
        const int pages = m_document->pageCount();
        m_status->setText((pages == 1 ? tr("1 page, as of %1.") : tr("%1 pages, as of %2.").arg(pages))
                              .arg(QLocale().toString(QDateTime::currentDateTime(), QLocale::ShortFormat)));
        m_save->setEnabled(true);
    }
    if (m_refreshAgain) {
        m_refreshAgain = false;
        refresh();
        return;
    }
    Q_EMIT previewReady();
}

void ExportsPage::savePdf()
{
    if (m_pdf.isEmpty())
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(folder).filePath(tr("%1 - migration plan.pdf").arg(m_plan->projectName()));
    const QString path = Prompts::instance().saveFilePath(this, tr("Save Migration Plan"), suggested, tr("PDF documents (*.pdf)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_pdf) != m_pdf.size() || !file.commit()) {
        Prompts::instance().showError(this, tr("Save Migration Plan"),
                                      Error{tr("the PDF could not be written: %1.").arg(file.errorString()), path,
                                            tr("Choose a folder you can write to, with free space.")});
        return;
    }
    m_status->setText(tr("Saved to %1.").arg(QDir::toNativeSeparators(path)));
}

void ExportsPage::exportChecklist(const QString &format)
{
    ExportActions::exportChecklist(this, m_plan, format, [this](const QString &path) {
        m_status->setText(tr("Checklist saved to %1.").arg(QDir::toNativeSeparators(path)));
    });
}
