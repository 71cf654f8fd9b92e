#pragma once

#include "core/result.h"

#include <QBuffer>
#include <QFutureWatcher>
#include <QWizardPage>

#include <optional>

class PlanController;
class QLabel;
class QPdfDocument;
class QPdfView;
class QPushButton;

/** Exports: the migration plan PDF, previewed before saving, and the checklist files. */
class ExportsPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ExportsPage(PlanController *plan, QWidget *parent = nullptr);
    ~ExportsPage() override;

    void initializePage() override;

    /// The PDF shown in the preview (empty until rendered).
    QByteArray previewBytes() const { return m_pdf; }
    bool isRendering() const { return m_watcher.isRunning(); }

Q_SIGNALS:
    void previewReady();

private:
    struct Rendered
    {
        QByteArray pdf;
        std::optional<Error> error;
    };

    void refresh();
    void onRendered();
    void savePdf();
    void exportChecklist(const QString &format);

    PlanController *m_plan;
    QLabel *m_status;
    QPdfView *m_view;
    QPdfDocument *m_document;
    QPushButton *m_refresh;
    QPushButton *m_save;
    QBuffer m_buffer;
    QByteArray m_pdf;
    QFutureWatcher<Rendered> m_watcher;
    bool m_refreshAgain = false;
};
