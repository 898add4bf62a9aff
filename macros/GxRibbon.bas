Attribute VB_Name = "GxRibbon"
Option Explicit
' Ribbon callbacks of the gxexcel add-in (tab "zheng wu gong kai nian bao").
'
' Every button of customUI.xml calls GxOnAction. It passes control.Id to the one
' Python dispatcher, gxexcel.excel.dispatch.main, together with the add-in's
' version (GX_ADDIN_VERSION, written by "gxexcel addin build") so that Python
' can check it matches the installed gxexcel and tell the clerk what to run,
' and the add-in's file name, by which Python calls GxNotes (cell notes).
' Python handles every id and reports an unknown one; the only thing done here
' is picking a folder for gxMerge, which needs Excel's own folder dialog.
'
' This module is ASCII on purpose: VBA stores source in the ANSI code page of
' the machine, so Chinese text is shown by Python or built with GxText.

Public Const GX_ADDIN_VERSION As String = "0.0.0"

Public Sub GxOnAction(control As IRibbonControl)
    GxRun control.Id
End Sub

Public Sub GxRun(ByVal controlId As String)
    Dim arg As String
    Select Case controlId
        Case "gxMerge"
            arg = GxPickFolder()
            If arg = "" Then Exit Sub
        Case Else
            arg = ""
    End Select
    ' The template locks the workbook's structure (no password); gxValidate adds the
    ' result sheet, so lift the lock while Python runs (RunPython waits for it)
    ' and put it back afterwards.
    Dim wb As Workbook, relock As Boolean
    Set wb = ActiveWorkbook
    If Not wb Is Nothing Then
        If wb.ProtectStructure Then
            On Error Resume Next
            wb.Unprotect
            relock = Not wb.ProtectStructure
            On Error GoTo 0
        End If
    End If
    RunPython "import gxexcel.excel.dispatch as gx; gx.main(" & _
        PyText(controlId) & ", " & PyText(arg) & ", " & PyText(GX_ADDIN_VERSION) & ", " & _
        PyText(ThisWorkbook.Name) & ")"
    If relock Then wb.Protect Structure:=True
End Sub

Private Function GxPickFolder() As String
    ' "Choose the folder to consolidate" (xuan ze yao hui zong de wen jian jia)
    Dim dialog As Object
    Set dialog = Application.FileDialog(4) ' msoFileDialogFolderPicker
    dialog.Title = GxText("9009 62E9 8981 6C47 603B 7684 6587 4EF6 5939")
    dialog.AllowMultiSelect = False
    If dialog.Show = -1 Then
        GxPickFolder = dialog.SelectedItems(1)
    Else
        GxPickFolder = ""
    End If
End Function

Public Function GxText(ByVal codePoints As String) As String
    ' Text from hexadecimal Unicode code points separated by spaces.
    Dim parts() As String, i As Long, out As String
    parts = Split(Trim(codePoints), " ")
    For i = LBound(parts) To UBound(parts)
        If parts(i) <> "" Then out = out & ChrW(CLng("&H" & parts(i)))
    Next i
    GxText = out
End Function

Private Function PyText(ByVal s As String) As String
    ' A Python string literal: escape backslashes and quotes (Windows paths).
    s = Replace(s, "\", "\\")
    s = Replace(s, "'", "\'")
    PyText = "'" & s & "'"
End Function
