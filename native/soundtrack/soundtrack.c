// Turns an MP4 with AAC sound into one with FLAC sound: the video packets are copied as they are (bytes and
// timestamps), the AAC is decoded, rounded to 16 bits and encoded as FLAC, trimmed to the length the source's edit
// list plays. Built to WebAssembly by build.sh; src/sound/soundtrackWorker.ts calls soundtrack_convert().
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>

// What soundtrack_convert returns (src/sound/soundtrack.ts reads the same numbers).
enum { CONVERTED = 0, NO_SOUNDTRACK = 1, NOT_AAC = 2, FAILED = 3 };

static char message[512];

/** Why the last call did not convert, for the log: ffmpeg's words. */
const char *soundtrack_message(void) { return message; }

static int fail(const char *what, int error) {
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    if (error < 0) av_strerror(error, reason, sizeof reason);
    snprintf(message, sizeof message, "%s%s%s", what, reason[0] ? ": " : "", reason);
    return FAILED;
}

typedef struct {
    AVFormatContext *in, *out;
    AVCodecContext *decoder, *encoder;
    AVPacket *packet, *encoded;
    AVFrame *decoded, *block;
    int video, audio;               // stream indexes in the input
    int video_out, audio_out;       // and in the output
    int channels;
    int64_t wanted;                 // samples the source plays (its edit list), or -1 when it does not say
    int64_t written;                // samples handed to the encoder so far
    int64_t start;                  // where the sound starts, in samples (after the source's empty edits)
    int16_t *pending;               // decoded samples waiting for a whole FLAC block (interleaved)
    int pending_count, pending_room;
} Job;

static int write_encoded(Job *job) {
    int error;
    while ((error = avcodec_receive_packet(job->encoder, job->encoded)) >= 0) {
        job->encoded->stream_index = job->audio_out;
        av_packet_rescale_ts(job->encoded, job->encoder->time_base, job->out->streams[job->audio_out]->time_base);
        if ((error = av_interleaved_write_frame(job->out, job->encoded)) < 0) return fail("writing the sound", error);
    }
    return error == AVERROR(EAGAIN) || error == AVERROR_EOF ? 0 : fail("encoding FLAC", error);
}

/** Sends `count` pending samples per channel to the encoder as one frame. */
static int encode_block(Job *job, int count) {
    AVFrame *block = job->block;
    av_frame_unref(block);
    block->format = AV_SAMPLE_FMT_S16;
    block->sample_rate = job->encoder->sample_rate;
    block->nb_samples = count;
    int error = av_channel_layout_copy(&block->ch_layout, &job->encoder->ch_layout);
    if (error < 0 || (error = av_frame_get_buffer(block, 0)) < 0) return fail("allocating a frame", error);
    memcpy(block->data[0], job->pending, (size_t)count * job->channels * sizeof(int16_t));
    memmove(job->pending, job->pending + count * job->channels, (size_t)(job->pending_count - count) * job->channels * sizeof(int16_t));
    job->pending_count -= count;
    block->pts = job->start + job->written;
    job->written += count;
    if ((error = avcodec_send_frame(job->encoder, block)) < 0) return fail("encoding FLAC", error);
    return write_encoded(job);
}

/** Rounds a decoded frame to 16 bits as ffmpeg's own conversion does, keeps it, and encodes every whole block. */
static int take_decoded(Job *job, AVFrame *frame) {
    int count = frame->nb_samples;
    // Past the end of the edit list is the encoder's padding: the source does not play it.
    if (job->wanted >= 0) {
        int64_t left = job->wanted - job->written - job->pending_count;
        if (left <= 0) return 0;
        if (count > left) count = (int)left;
    }
    if (job->pending_count + count > job->pending_room) {
        job->pending_room = (job->pending_count + count) * 2;
        job->pending = av_realloc_f(job->pending, (size_t)job->pending_room * job->channels, sizeof(int16_t));
        if (!job->pending) return fail("allocating the sound buffer", AVERROR(ENOMEM));
    }
    int16_t *target = job->pending + job->pending_count * job->channels;
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < job->channels; c++) {
            float sample = frame->format == AV_SAMPLE_FMT_FLTP ? ((const float *)frame->extended_data[c])[i]
                                                               : ((const float *)frame->extended_data[0])[i * job->channels + c];
            long rounded = lrintf(sample * 32768.0f);
            target[i * job->channels + c] = (int16_t)(rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded);
        }
    }
    job->pending_count += count;
    int error;
    while (job->pending_count >= job->encoder->frame_size)
        if ((error = encode_block(job, job->encoder->frame_size))) return error;
    return 0;
}

static int decode(Job *job, const AVPacket *packet) {
    int error = avcodec_send_packet(job->decoder, packet);
    if (error < 0 && error != AVERROR_EOF) return fail("decoding AAC", error);
    while ((error = avcodec_receive_frame(job->decoder, job->decoded)) >= 0) {
        if (job->decoded->format != AV_SAMPLE_FMT_FLTP && job->decoded->format != AV_SAMPLE_FMT_FLT) return fail("decoding AAC: unexpected sample format", 0);
        error = take_decoded(job, job->decoded);
        av_frame_unref(job->decoded);
        if (error) return error;
    }
    return error == AVERROR(EAGAIN) || error == AVERROR_EOF ? 0 : fail("decoding AAC", error);
}

static int open_codecs(Job *job) {
    AVStream *source = job->in->streams[job->audio];
    const AVCodec *aac = avcodec_find_decoder(AV_CODEC_ID_AAC);
    const AVCodec *flac = avcodec_find_encoder(AV_CODEC_ID_FLAC);
    job->decoder = avcodec_alloc_context3(aac);
    job->encoder = avcodec_alloc_context3(flac);
    if (!job->decoder || !job->encoder) return fail("allocating the codecs", AVERROR(ENOMEM));
    int error = avcodec_parameters_to_context(job->decoder, source->codecpar);
    if (error < 0) return fail("reading the AAC settings", error);
    job->decoder->pkt_timebase = source->time_base;
    if ((error = avcodec_open2(job->decoder, aac, NULL)) < 0) return fail("opening the AAC decoder", error);
    job->channels = job->decoder->ch_layout.nb_channels;
    job->encoder->sample_fmt = AV_SAMPLE_FMT_S16;
    job->encoder->sample_rate = job->decoder->sample_rate;
    job->encoder->time_base = (AVRational){ 1, job->decoder->sample_rate };
    if ((error = av_channel_layout_copy(&job->encoder->ch_layout, &job->decoder->ch_layout)) < 0) return fail("copying the channel layout", error);
    if (job->out->oformat->flags & AVFMT_GLOBALHEADER) job->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((error = avcodec_open2(job->encoder, flac, NULL)) < 0) return fail("opening the FLAC encoder", error);
    // The length the source plays, in samples: the demuxer cut the priming from the edit list's start, not its end.
    job->wanted = source->duration > 0 ? av_rescale_q(source->duration, source->time_base, job->encoder->time_base) : -1;
    job->start = source->start_time > 0 ? av_rescale_q(source->start_time, source->time_base, job->encoder->time_base) : 0;
    return 0;
}

static int add_streams(Job *job) {
    AVStream *video = avformat_new_stream(job->out, NULL);
    AVStream *audio = avformat_new_stream(job->out, NULL);
    if (!video || !audio) return fail("adding the output streams", AVERROR(ENOMEM));
    AVStream *source = job->in->streams[job->video];
    int error = avcodec_parameters_copy(video->codecpar, source->codecpar);
    if (error < 0) return fail("copying the video settings", error);
    video->codecpar->codec_tag = 0;
    video->time_base = source->time_base;
    video->disposition = source->disposition;
    // The picture's rotation and the like travel as side data.
    for (int i = 0; i < source->nb_side_data; i++) {
        uint8_t *data = av_stream_new_side_data(video, source->side_data[i].type, source->side_data[i].size);
        if (!data) return fail("copying the video side data", AVERROR(ENOMEM));
        memcpy(data, source->side_data[i].data, source->side_data[i].size);
    }
    job->video_out = video->index;
    job->audio_out = audio->index;
    if ((error = open_codecs(job))) return error;
    if ((error = avcodec_parameters_from_context(audio->codecpar, job->encoder)) < 0) return fail("setting the FLAC stream", error);
    audio->time_base = job->encoder->time_base;
    audio->disposition = job->in->streams[job->audio]->disposition;
    return 0;
}

static int run(Job *job, const char *input, const char *output) {
    int error = avformat_open_input(&job->in, input, NULL, NULL);
    if (error < 0) return fail("reading the video", error);
    if ((error = avformat_find_stream_info(job->in, NULL)) < 0) return fail("reading the video's streams", error);
    job->video = av_find_best_stream(job->in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (job->video < 0) return fail("the file has no video stream", 0);
    job->audio = -1;
    for (unsigned i = 0; i < job->in->nb_streams; i++)
        if (job->in->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) { job->audio = (int)i; break; }
    if (job->audio < 0) return NO_SOUNDTRACK;
    enum AVCodecID codec = job->in->streams[job->audio]->codecpar->codec_id;
    if (codec != AV_CODEC_ID_AAC) {
        snprintf(message, sizeof message, "the soundtrack is %s, not AAC", avcodec_get_name(codec));
        return NOT_AAC;
    }
    if ((error = avformat_alloc_output_context2(&job->out, NULL, "mp4", output)) < 0) return fail("starting the output", error);
    job->out->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL; // FLAC in MP4 is "experimental" in ffmpeg 5.1
    if ((error = add_streams(job))) return error;
    if ((error = avio_open(&job->out->pb, output, AVIO_FLAG_WRITE)) < 0) return fail("creating the output file", error);
    AVDictionary *options = NULL;
    av_dict_set(&options, "movflags", "+faststart", 0); // the index first, so the preview starts at once
    error = avformat_write_header(job->out, &options);
    av_dict_free(&options);
    if (error < 0) return fail("writing the output header", error);
    if (!(job->packet = av_packet_alloc()) || !(job->encoded = av_packet_alloc()) || !(job->decoded = av_frame_alloc()) || !(job->block = av_frame_alloc()))
        return fail("allocating the packets", AVERROR(ENOMEM));
    while ((error = av_read_frame(job->in, job->packet)) >= 0) {
        if (job->packet->stream_index == job->video) {
            job->packet->stream_index = job->video_out;
            job->packet->pos = -1;
            av_packet_rescale_ts(job->packet, job->in->streams[job->video]->time_base, job->out->streams[job->video_out]->time_base);
            if ((error = av_interleaved_write_frame(job->out, job->packet)) < 0) return fail("writing the video", error);
        } else if (job->packet->stream_index == job->audio) {
            if ((error = decode(job, job->packet))) return error;
        }
        av_packet_unref(job->packet);
    }
    if (error != AVERROR_EOF) return fail("reading the video", error);
    if ((error = decode(job, NULL))) return error;
    if (job->pending_count > 0 && (error = encode_block(job, job->pending_count))) return error;
    if ((error = avcodec_send_frame(job->encoder, NULL)) < 0) return fail("finishing FLAC", error);
    if ((error = write_encoded(job))) return error;
    if ((error = av_write_trailer(job->out)) < 0) return fail("finishing the output", error);
    return CONVERTED;
}

/** Converts `input` into `output` (created or replaced); returns one of the numbers above. */
int soundtrack_convert(const char *input, const char *output) {
    Job job = { 0 };
    message[0] = 0;
    av_log_set_level(AV_LOG_QUIET); // the reason goes back in soundtrack_message()
    int result = run(&job, input, output);
    avformat_close_input(&job.in);
    if (job.out) {
        avio_closep(&job.out->pb);
        avformat_free_context(job.out);
    }
    avcodec_free_context(&job.decoder);
    avcodec_free_context(&job.encoder);
    av_packet_free(&job.packet);
    av_packet_free(&job.encoded);
    av_frame_free(&job.decoded);
    av_frame_free(&job.block);
    av_free(job.pending);
    return result;
}
